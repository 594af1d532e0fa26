import { addCalendarDays, chinaDate, contentDigest, disclosureVersionContent, parseDisclosurePeriod, periodDueOn, type TDisclosureFrequency } from '@cunwu/contract';
import { hashPassword } from '../../kernel/auth';
import type { TTx } from '../../kernel/db';
import { appendEntry } from '../ledger';
import { periodLabel } from '../disclosures';
import { createRandom } from './demo.data';
import * as repo from './demo.repo';

/** Items every village publishes in the demo history (F01 comes with real ledger lines, elsewhere). */
const HISTORY_ITEMS = ['P02', 'P03', 'P04', 'P08', 'V04', 'V10', 'F05', 'F09'] as const;

/** How many past periods of each frequency the history covers. */
const PERIODS_BACK: Partial<Record<TDisclosureFrequency, number>> = { monthly: 3, quarterly: 1 };

/** Share of obligations published on time, then late; the rest is missing (something to chase). */
const ON_TIME = 0.8;
const LATE = 0.1;

/** A village of the demo with the cadre who publishes for it. */
export interface TDemoVillage {
  code: string;
  name: string;
  /** Villages of the article stories publish everything on time. */
  isExemplary: boolean;
}

const fmtYuan = (fen: number) => (fen / 100).toLocaleString('zh-CN', { minimumFractionDigits: 2, maximumFractionDigits: 2 });

/** The body a village would publish for an item and period: plausible figures, no personal data. */
function bodyOf(item: string, village: string, label: string, random: () => number): string {
  const n = (lo: number, hi: number) => lo + Math.floor(random() * (hi - lo + 1));
  switch (item) {
    case 'P04':
      return `${village}党支部${label}“三会一课”开展情况：\n召开支部党员大会 1 次、支委会 ${n(1, 3)} 次、党小组会 ${n(2, 4)} 次，上党课 1 次（主题：${['学习贯彻党的二十届四中全会精神', '纪律教育学习月专题党课', '推进乡村全面振兴'][n(0, 2)]}）。\n主题党日：组织党员开展${['环境卫生整治', '走访慰问困难群众', '防汛安全巡查', '政策宣讲进家户'][n(0, 3)]}，参加党员 ${n(18, 46)} 名。`;
    case 'V10': {
      const received = n(2, 14);
      const closed = Math.max(0, received - n(0, 2));
      return `${village}${label}群众诉求办理情况：\n受理群众诉求 ${received} 件，已办结 ${closed} 件，办理中 ${received - closed} 件；回访满意率 ${n(92, 100)}%。\n主要诉求：${['道路破损', '路灯维修', '排水沟堵塞', '垃圾清运', '饮水管网'][n(0, 4)]}、${['宅基地咨询', '医保参保', '低保政策', '农田灌溉'][n(0, 3)]}。\n逐件办理结果见“群众诉求”栏目。`;
    }
    case 'F09':
      return `${village}${label}村级非生产性开支：\n招待费 0.00 元；差旅费 ${fmtYuan(n(0, 60) * 1000)} 元；会议费 ${fmtYuan(n(0, 30) * 1000)} 元；办公用品 ${fmtYuan(n(5, 80) * 1000)} 元。\n以上开支均经村务监督委员会审核，原始票据见财务公开栏。`;
    case 'P02':
      return `${village}党支部${label}党员发展及组织关系转接：\n新发展预备党员 ${n(0, 2)} 名，预备党员转正 ${n(0, 2)} 名；转入组织关系 ${n(0, 2)} 名，转出 ${n(0, 1)} 名。发展对象公示期内未收到异议。`;
    case 'P03':
      return `${village}党支部${label}党费收缴、使用和管理：\n应缴党员 ${n(25, 60)} 名，实缴党费 ${fmtYuan(n(1200, 4800) * 100)} 元，已全额上缴镇党委；本季度无党费支出。`;
    case 'P08':
      return `${village}${label}党员联系服务群众情况：\n党员联系户 ${n(60, 180)} 户，走访 ${n(80, 260)} 人次，帮助解决实际困难 ${n(3, 15)} 件（含代办医保、申请临时救助、邻里纠纷调解）。`;
    case 'V04':
      return `${village}${label}低保、特困供养及救助资金：\n低保对象 ${n(6, 22)} 户 ${n(9, 40)} 人，特困供养 ${n(1, 5)} 人，本季度发放救助资金 ${fmtYuan(n(40, 160) * 100000)} 元。\n对象名单（姓名已脱敏）在村务公开栏张贴，如有异议请向村务监督委员会反映。`;
    case 'F05':
      return `${village}${label}上级转移支付及专项资金使用：\n收到上级转移支付 ${fmtYuan(n(5, 40) * 1000000)} 元（村级组织运转经费、人居环境整治专项），已支出 ${fmtYuan(n(3, 30) * 1000000)} 元，结余留用。明细见每月财务收支公开。`;
    default:
      return `${village}${label}公开内容。`;
  }
}

/**
 * A recent history of published disclosures for every village: the last months and quarter of the
 * demo catalogue items, most on time, some late, some not published at all (the compliance page has
 * villages to chase). Each version is appended to the ledger exactly as publication does. Returns the
 * number published and the ids of the village cadres created.
 */
export async function seedDisclosureHistory(tx: TTx, villages: TDemoVillage[], options: { now: Date; password: string; cadreNames: Map<string, string>; existingCadres: Map<string, string> }): Promise<{ published: number; cadres: number }> {
  const random = createRandom(2604);
  const today = chinaDate(options.now);
  // One village cadre per village who publishes (the named demo cadres where they exist).
  const hash = await hashPassword(options.password);
  const newCadres = villages.filter((v) => !options.existingCadres.has(v.code));
  const created = await repo.insertOfficialsBulk(tx, newCadres.map((v) => ({ login: `cadre_${v.code}`, name: options.cadreNames.get(v.code) ?? '村干部', role: 'village_cadre', regionCode: v.code })), hash);
  const cadreOf = (code: string) => options.existingCadres.get(code) ?? created.get(`cadre_${code}`)!;
  const nameOf = new Map([...options.cadreNames]);

  const items = (await repo.findCatalogItems(tx)).filter((i) => i.isActive && (HISTORY_ITEMS as readonly string[]).includes(i.code));
  const obligations: { village: TDemoVillage; item: (typeof items)[number]; period: string; start: string; end: string }[] = [];
  for (const item of items) {
    const frequency = item.frequency as TDisclosureFrequency;
    for (const period of pastPeriods(frequency, today, PERIODS_BACK[frequency] ?? 0)) {
      const parsed = parseDisclosurePeriod(frequency, period);
      if (!parsed.ok || periodDueOn(parsed.value.end, item.dueDays) >= today) continue;
      for (const village of villages) obligations.push({ village, item, period, start: parsed.value.start, end: parsed.value.end });
    }
  }
  const ids = await repo.newIds(tx, obligations.length);
  const rows: repo.TPublishedDemoDisclosure[] = [];
  // Publication times in order, so the ledger's entries follow the calendar.
  const planned = obligations
    .map((o, i) => {
      const roll = o.village.isExemplary ? 0 : random();
      if (roll >= ON_TIME + LATE) return null;
      const due = periodDueOn(o.end, o.item.dueDays);
      const day = roll < ON_TIME ? addCalendarDays(o.end, 1 + Math.floor(random() * o.item.dueDays)) : addCalendarDays(due, 1 + Math.floor(random() * 12));
      if (day > today) return null;
      const at = new Date(`${day}T${String(8 + Math.floor(random() * 9)).padStart(2, '0')}:${String(Math.floor(random() * 60)).padStart(2, '0')}:00+08:00`);
      return { ...o, id: ids[i]!, at };
    })
    .filter((p): p is NonNullable<typeof p> => p !== null)
    .sort((a, b) => a.at.getTime() - b.at.getTime());
  for (const p of planned) {
    const label = periodLabel(p.period);
    const title = `${p.village.name}${label}${p.item.nameZh}`;
    const body = bodyOf(p.item.code, p.village.name, label, random);
    const publishedAt = p.at.toISOString();
    const digest = contentDigest(disclosureVersionContent({ disclosureId: p.id, villageCode: p.village.code, itemCode: p.item.code, period: p.period, eventRef: null, version: 1, title, body, structured: {}, reason: null, publishedAt }));
    const ledger = await appendEntry(tx, { type: 'disclosure.published', ref: `disclosure:${p.id}:v1`, digest, extra: { village: p.village.code, item: p.item.code, period: p.period, version: 1 } }, p.at);
    rows.push({
      id: p.id, regionCode: p.village.code, itemCode: p.item.code, period: p.period, periodStart: p.start, periodEnd: p.end, title, body,
      createdBy: cadreOf(p.village.code), publisherName: nameOf.get(p.village.code) ?? '村干部', publishedAt: p.at, digest, ledgerIdx: ledger.index,
    });
  }
  await repo.insertPublishedDisclosures(tx, rows);
  return { published: rows.length, cadres: created.size };
}

/** The `count` most recent whole periods of a frequency before `today` ('2026-10', '2026-Q3' …), newest first. */
export function pastPeriods(frequency: TDisclosureFrequency, today: string, count: number): string[] {
  const year = Number(today.slice(0, 4));
  const month = Number(today.slice(5, 7));
  const out: string[] = [];
  if (frequency === 'monthly') {
    for (let k = 1; k <= count; k++) {
      const m = (year * 12 + month - 1 - k);
      out.push(`${Math.floor(m / 12)}-${String((m % 12) + 1).padStart(2, '0')}`);
    }
  } else if (frequency === 'quarterly') {
    const q = year * 4 + Math.floor((month - 1) / 3);
    for (let k = 1; k <= count; k++) out.push(`${Math.floor((q - k) / 4)}-Q${((q - k) % 4) + 1}`);
  }
  return out;
}
