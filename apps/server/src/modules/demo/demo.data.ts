import { readFileSync } from 'node:fs';
import type { TRole } from '@cunwu/contract';

/** Deterministic PRNG (mulberry32) so the demo and benchmark data are the same on every machine. */
export function createRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const SURNAMES = '陈林黄王李张吴刘郑蔡许杨苏洪庄谢曾周徐施傅叶颜詹戴卢肖连廖'.split('');
const GIVEN = '志明建华丽芳秀英国强美玲文德伟清海燕金水春梅淑珍火炎荣桂兰宗泉添福宝财来顺'.split('');
const VILLAGE_HEADS = '东西南北上下前后新大小高龙凤石溪山林竹梅桃金玉湖云霞洋坑岭'.split('');
const VILLAGE_TAILS = ['坑', '洋', '头', '美', '山', '岭', '溪', '埔', '厝', '林', '坂', '亭', '田', '内', '尾', '丰', '安', '兴'];
const TOWN_NAMES = ['城关镇', '东岭镇', '西园镇', '南埔镇', '北山乡', '青阳镇', '金井镇', '龙湖镇'];
const RELATIONS = ['户主', '配偶', '子', '女', '父亲', '母亲', '孙子', '孙女', '儿媳'];

/** A region of the demo registry. */
export interface TDemoRegion {
  code: string;
  name: string;
  isIllustrative: boolean;
}

/** A household with its members. */
export interface TDemoHousehold {
  regionCode: string;
  householdNo: string;
  headName: string;
  members: { name: string; relation: string; phone: string | null; idNumber: string }[];
}

/** An official account of the demo with its roles. */
export interface TDemoOfficial {
  login: string;
  name: string;
  roles: { role: TRole; regionCode: string }[];
  what: string;
}

interface TRegistryFile {
  city: { code: string; name: string };
  counties: { code: string; name: string; towns?: string[] }[];
  villagesInArticle: { county: string; town: string; village: string; kind?: string }[];
}

/** Read the shared Quanzhou registry (real county codes; towns and villages get illustrative codes). */
export function readRegistry(file: string): TRegistryFile {
  return JSON.parse(readFileSync(file, 'utf8')) as TRegistryFile;
}

/** 18-digit resident ID with a valid GB 11643 check digit (demo people only). */
export function makeIdNumber(countyCode6: string, birth: string, sequence: number): string {
  const body = `${countyCode6}${birth}${String(sequence % 1000).padStart(3, '0')}`;
  const weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
  const sum = body.split('').reduce((acc, d, i) => acc + Number(d) * weights[i]!, 0);
  return body + '10X98765432'[sum % 11]!;
}

/** The usual bureaus of every county-level unit, with the appeal categories they take. */
export const DEMO_DEPARTMENTS = [
  { name: '交通运输局', categories: ['traffic'] },
  { name: '住房和城乡建设局', categories: ['housing_land', 'village_look'] },
  { name: '自然资源局', categories: ['housing_land'] },
  { name: '生态环境局', categories: ['sanitation'] },
  { name: '民政局', categories: ['social_security'] },
  { name: '农业农村局', categories: ['village_finance', 'other'] },
] as const;

/** The demo world: regions, households with members, the article's people and the officials. */
export interface TDemoWorld {
  regions: TDemoRegion[];
  households: TDemoHousehold[];
  officials: TDemoOfficial[];
  /** Villagers whose phones the start banner prints, with what they are in the stories. */
  featuredVillagers: { name: string; phone: string; village: string; story: string }[];
  articleVillages: Record<string, string>;
  /** Department handlers (scenario 1: the transport bureau that gets bus 306 running again). */
  departmentHandlers: { login: string; name: string; departmentName: string }[];
}

/**
 * Build the demo: 泉州市, its 11 county-level units (real codes), the towns of the article's counties
 * (real names, illustrative codes), a few generated towns elsewhere, the article's 7 villages and three
 * generated villages per town, each with 15–40 households. Deterministic for a given seed.
 */
export function buildDemoWorld(registry: TRegistryFile, seed = 20230516): TDemoWorld {
  const random = createRandom(seed);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)]!;
  const regions: TDemoRegion[] = [{ code: registry.city.code, name: registry.city.name, isIllustrative: false }];
  const townCodes: { code: string; county: string; name: string }[] = [];
  for (const county of registry.counties) {
    const countyCode = county.code.padEnd(12, '0');
    regions.push({ code: countyCode, name: county.name, isIllustrative: false });
    const towns = county.towns?.length ? county.towns : TOWN_NAMES.slice(0, 3);
    towns.forEach((town, i) => {
      const code = `${county.code}${String(i + 1).padStart(3, '0')}000`;
      regions.push({ code, name: town, isIllustrative: true });
      townCodes.push({ code, county: county.name, name: town });
    });
  }
  const articleVillages: Record<string, string> = {};
  const villageCodes: string[] = [];
  const usedNames = new Set<string>();
  for (const town of townCodes) {
    const article = registry.villagesInArticle.filter((v) => v.county === town.county && v.town === town.name);
    let seq = 1;
    for (const v of article) {
      const code = `${town.code.slice(0, 9)}${String(200 + seq++).padStart(3, '0')}`;
      regions.push({ code, name: v.village, isIllustrative: true });
      articleVillages[v.village] = code;
      villageCodes.push(code);
    }
    for (let k = 0; k < 3; k++) {
      let name = '';
      do name = `${pick(VILLAGE_HEADS)}${pick(VILLAGE_TAILS)}村`;
      while (usedNames.has(`${town.code}${name}`) || registry.villagesInArticle.some((v) => v.village === name));
      usedNames.add(`${town.code}${name}`);
      const code = `${town.code.slice(0, 9)}${String(200 + seq++).padStart(3, '0')}`;
      regions.push({ code, name, isIllustrative: true });
      villageCodes.push(code);
    }
  }

  const households: TDemoHousehold[] = [];
  let phoneSeq = 0;
  let idSeq = 0;
  const personName = (surname?: string) => `${surname ?? pick(SURNAMES)}${pick(GIVEN)}${random() < 0.6 ? pick(GIVEN) : ''}`;
  const featuredVillagers: TDemoWorld['featuredVillagers'] = [];
  for (const villageCode of villageCodes) {
    const isArticle = Object.values(articleVillages).includes(villageCode);
    const count = isArticle ? 120 + Math.floor(random() * 60) : 15 + Math.floor(random() * 26);
    for (let h = 1; h <= count; h++) {
      const surname = pick(SURNAMES);
      const size = 1 + Math.floor(random() * 5);
      const members: TDemoHousehold['members'] = [];
      for (let m = 0; m < size; m++) {
        const year = m === 0 ? 1950 + Math.floor(random() * 40) : 1960 + Math.floor(random() * 55);
        const birth = `${year}${String(1 + Math.floor(random() * 12)).padStart(2, '0')}${String(1 + Math.floor(random() * 28)).padStart(2, '0')}`;
        const hasPhone = m === 0 || random() < 0.45;
        members.push({
          name: m === 0 || random() < 0.5 ? personName(surname) : personName(),
          relation: m === 0 ? '户主' : pick(RELATIONS.slice(1)),
          phone: hasPhone ? `139${String(10_000_000 + phoneSeq++).slice(-8)}` : null,
          idNumber: makeIdNumber(villageCode.slice(0, 6), birth, idSeq++),
        });
      }
      households.push({ regionCode: villageCode, householdNo: String(h).padStart(4, '0'), headName: members[0]!.name, members });
    }
  }

  // The article's people, each at the head of a household of their village.
  const story = (village: string, name: string, phone: string, text: string) => {
    const code = articleVillages[village];
    if (!code) return;
    const household = households.find((h) => h.regionCode === code && h.householdNo === '0001')!;
    household.headName = name;
    household.members[0] = { ...household.members[0]!, name, phone };
    featuredVillagers.push({ name, phone, village, story: text });
  };
  story('广桥村', '夏丽华', '13859001306', '场景1：反映306路公交停运一年');
  story('蓉溪村', '陈美玲', '13859002001', '场景2：查看4月收支公开');
  story('溪美村', '林春梅', '13859006001', '场景6：宅基地摇号');
  story('泉秀新村', '苏明德', '13859005001', '场景5：关注改造方案');

  const c = (name: string) => regions.find((r) => r.name === name && r.code.endsWith('000000') && !r.code.endsWith('00000000'))?.code ?? '';
  const t = (county: string, town: string) => townCodes.find((x) => x.county === county && x.name === town)?.code ?? '';
  const city = registry.city.code;
  const officials: TDemoOfficial[] = [
    { login: 'admin', name: '平台管理员', roles: [{ role: 'admin', regionCode: city }], what: '平台管理员 · 账号与配置' },
    { login: 'quanzhou_jw', name: '林纪检', roles: [{ role: 'discipline_officer', regionCode: city }], what: '市纪委监委 · 全市巡察' },
    { login: 'quanzhou_gov', name: '黄市政', roles: [{ role: 'city_officer', regionCode: city }], what: '市级干部' },
    { login: 'luojiang_gov', name: '郑区长', roles: [{ role: 'county_officer', regionCode: c('洛江区') }], what: '洛江区 · 区级干部' },
    { login: 'luoxi_town', name: '吴镇干', roles: [{ role: 'town_officer', regionCode: t('洛江区', '罗溪镇') }], what: '罗溪镇 · 乡镇干部' },
    { login: 'guangqiao_cadre', name: '王村干', roles: [{ role: 'village_cadre', regionCode: articleVillages['广桥村']! }], what: '广桥村 · 村干部' },
    { login: 'guangqiao_grid', name: '李网格', roles: [{ role: 'group_admin', regionCode: articleVillages['广桥村']! }], what: '广桥村 · 网格员' },
    { login: 'rongxi_cadre', name: '蔡主任', roles: [{ role: 'village_cadre', regionCode: articleVillages['蓉溪村']! }], what: '蓉溪村 · 村委会主任（公开）' },
    { login: 'rongxi_bookkeeper', name: '蔡报账', roles: [{ role: 'bookkeeper', regionCode: articleVillages['蓉溪村']! }], what: '蓉溪村 · 报账员' },
    { login: 'meishan_resident', name: '许驻村', roles: [{ role: 'resident_cadre', regionCode: t('南安市', '梅山镇') }], what: '梅山镇 · 驻村干部（联审）' },
    { login: 'anxi_jw', name: '洪纪检', roles: [{ role: 'discipline_officer', regionCode: c('安溪县') }], what: '安溪县纪委监委' },
    { login: 'longmen_jw', name: '詹纪检', roles: [{ role: 'discipline_officer', regionCode: t('安溪县', '龙门镇') }], what: '龙门镇纪委' },
  ];
  const departmentHandlers = [{ login: 'luojiang_transport', name: '傅交通', departmentName: '洛江区交通运输局' }];
  return { regions, households, officials, featuredVillagers, articleVillages, departmentHandlers };
}
