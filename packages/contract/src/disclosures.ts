import { z } from 'zod';
import { ZReviewRecord } from './finance';
import { ZRegionCode } from './regions';

// ---------- catalogue ----------

/** How often an item of the catalogue is disclosed (DESIGN §6, seed/disclosure-catalog.json). */
export const DISCLOSURE_FREQUENCIES = ['monthly', 'quarterly', 'semiannual', 'annual', 'immediate', 'on_change', 'per_stage'] as const;
/** A disclosure frequency. */
export type TDisclosureFrequency = (typeof DISCLOSURE_FREQUENCIES)[number];
/** Frequencies with calendar periods: each village owes one disclosure per period. */
export const PERIODIC_FREQUENCIES = ['monthly', 'quarterly', 'semiannual', 'annual'] as const;
/** Frequencies owed per event (a resolution, a change, a project stage): due only when an event exists. */
export const EVENT_FREQUENCIES = ['immediate', 'on_change', 'per_stage'] as const;

/** Whether items of this frequency are owed per event rather than per calendar period. */
export function isEventFrequency(frequency: string): boolean {
  return (EVENT_FREQUENCIES as readonly string[]).includes(frequency);
}

/** Chinese names of frequencies, statuses and compliance outcomes for both apps. */
export const DISCLOSURE_LABELS = {
  frequency: { monthly: '每月', quarterly: '每季度', semiannual: '每半年', annual: '每年', immediate: '即时', on_change: '变动时', per_stage: '按阶段' },
  status: { draft: '草稿', submitted: '已提交', approved: '审核通过', rejected: '已退回', published: '已公开' },
  compliance: { on_time: '按时公开', late: '逾期公开', missing: '逾期未公开', pending: '未到期' },
} as const;

/** A catalogue item code: P01, V10, F09 … */
export const ZDisclosureItemCode = z.string().regex(/^[A-Z][A-Z0-9]{1,9}$/, 'an item code such as F01 / 事项编号如 F01');

/** A category of the catalogue (党务、村务、财务公开). */
export const ZDisclosureCategory = z.object({ code: z.string(), zh: z.string(), en: z.string() });
/** Category DTO. */
export type TDisclosureCategory = z.infer<typeof ZDisclosureCategory>;

/** An item of the catalogue. */
export const ZDisclosureCatalogItem = z.object({
  code: z.string(),
  category: z.string(),
  zh: z.string(),
  en: z.string(),
  frequency: z.enum(DISCLOSURE_FREQUENCIES),
  /** Grace after the period ends (or after the event), in calendar days. */
  dueDays: z.number().int(),
  isActive: z.boolean(),
  sort: z.number().int(),
});
/** Catalogue item DTO. */
export type TDisclosureCatalogItem = z.infer<typeof ZDisclosureCatalogItem>;

/** `GET /disclosure-catalog`: the catalogue and the ledger snapshot that holds it. */
export const ZDisclosureCatalog = z.object({
  categories: z.array(ZDisclosureCategory),
  items: z.array(ZDisclosureCatalogItem),
  /** Ledger entry of the latest catalogue snapshot (null before the first sync). */
  ledgerIndex: z.number().int().nullable(),
  digest: z.string().nullable(),
  publishedAt: z.string().nullable(),
});
/** Catalogue DTO. */
export type TDisclosureCatalog = z.infer<typeof ZDisclosureCatalog>;

/** Params naming a catalogue item. */
export const ZDisclosureItemParams = z.object({ code: ZDisclosureItemCode });

/** `PATCH /disclosure-catalog/{code}` (admin). */
export const ZUpdateCatalogItemRequest = z
  .object({
    frequency: z.enum(DISCLOSURE_FREQUENCIES).optional(),
    dueDays: z.number().int().min(0, 'at least 0 days / 不能为负').max(366, 'at most 366 days / 最多 366 天').optional(),
    isActive: z.boolean().optional(),
  })
  .refine((v) => v.frequency !== undefined || v.dueDays !== undefined || v.isActive !== undefined, { message: 'change frequency, dueDays or isActive / 请至少修改一项' });
/** Catalogue edit request. */
export type TUpdateCatalogItemRequest = z.infer<typeof ZUpdateCatalogItemRequest>;

/** Answer to a catalogue edit: the item and the snapshot the change was published in. */
export const ZUpdateCatalogItemResponse = z.object({ item: ZDisclosureCatalogItem, ledgerIndex: z.number().int().nullable(), digest: z.string().nullable() });

// ---------- periods ----------

/** A period (or event date) of a disclosure, resolved to its China calendar days. */
export interface TDisclosurePeriod {
  /** As written: 2025-04, 2025-Q2, 2025-H1, 2025, or an event date 2025-04-12. */
  period: string;
  /** First and last day ('YYYY-MM-DD', inclusive). An event's period is its day. */
  start: string;
  end: string;
  /** 2025年4月, 2025年第二季度, 2025年上半年, 2025年度, 2025年4月12日. */
  label: string;
  isEvent: boolean;
}

const PERIOD_FORMATS: Record<TDisclosureFrequency, { pattern: RegExp; example: string; zh: string; en: string }> = {
  monthly: { pattern: /^(\d{4})-(0[1-9]|1[0-2])$/, example: '2025-04', zh: '按月公开的事项，期间写作 YYYY-MM', en: 'monthly items take a month YYYY-MM' },
  quarterly: { pattern: /^(\d{4})-Q([1-4])$/, example: '2025-Q2', zh: '按季度公开的事项，期间写作 YYYY-Q1 至 YYYY-Q4', en: 'quarterly items take a quarter YYYY-Q1..Q4' },
  semiannual: { pattern: /^(\d{4})-H([12])$/, example: '2025-H1', zh: '按半年公开的事项，期间写作 YYYY-H1（上半年）或 YYYY-H2（下半年）', en: 'semiannual items take a half year YYYY-H1 or YYYY-H2' },
  annual: { pattern: /^(\d{4})$/, example: '2025', zh: '按年公开的事项，期间写作 YYYY', en: 'annual items take a year YYYY' },
  immediate: { pattern: /^(\d{4})-(\d{2})-(\d{2})$/, example: '2025-04-12', zh: '即时公开的事项，期间写事件发生日期 YYYY-MM-DD', en: 'immediate items take the event date YYYY-MM-DD' },
  on_change: { pattern: /^(\d{4})-(\d{2})-(\d{2})$/, example: '2025-04-12', zh: '变动时公开的事项，期间写变动日期 YYYY-MM-DD', en: 'on-change items take the date of the change YYYY-MM-DD' },
  per_stage: { pattern: /^(\d{4})-(\d{2})-(\d{2})$/, example: '2025-04-12', zh: '按阶段公开的事项，期间写该阶段完成日期 YYYY-MM-DD', en: 'per-stage items take the date the stage completed YYYY-MM-DD' },
};

const DAY_MS = 86_400_000;
const ISO_DAY = (ms: number) => new Date(ms).toISOString().slice(0, 10);
/** Last day of a month (1-based month). */
const monthEnd = (year: number, month: number) => ISO_DAY(Date.UTC(year, month, 0));
const monthStart = (year: number, month: number) => ISO_DAY(Date.UTC(year, month - 1, 1));
const QUARTER_ZH = ['一', '二', '三', '四'];

/** `day` ('YYYY-MM-DD') plus `days` calendar days. */
export function addCalendarDays(day: string, days: number): string {
  return ISO_DAY(Date.parse(`${day}T00:00:00Z`) + days * DAY_MS);
}

/** An example period of a frequency, for forms and error messages. */
export function periodExample(frequency: TDisclosureFrequency): string {
  return PERIOD_FORMATS[frequency].example;
}

/**
 * Resolve a period written for an item of `frequency`: monthly `YYYY-MM`, quarterly `YYYY-Q1..Q4`,
 * semiannual `YYYY-H1/H2`, annual `YYYY`; event items (immediate, on_change, per_stage) an event date
 * `YYYY-MM-DD`. On a mismatch the reason explains the expected form, in English and Chinese.
 */
export function parseDisclosurePeriod(frequency: TDisclosureFrequency, period: string): { ok: true; value: TDisclosurePeriod } | { ok: false; reason: string } {
  const format = PERIOD_FORMATS[frequency];
  const match = format.pattern.exec(period);
  const fail = (extra = '') => ({ ok: false as const, reason: `${format.en}, e.g. ${format.example}${extra} / ${format.zh}，如 ${format.example}` });
  if (!match) return fail();
  const year = Number(match[1]);
  if (year < 2000 || year > 2099) return { ok: false, reason: 'the year must be between 2000 and 2099 / 年份须在 2000 至 2099 之间' };
  switch (frequency) {
    case 'monthly': {
      const month = Number(match[2]);
      return { ok: true, value: { period, start: monthStart(year, month), end: monthEnd(year, month), label: `${year}年${month}月`, isEvent: false } };
    }
    case 'quarterly': {
      const q = Number(match[2]);
      return { ok: true, value: { period, start: monthStart(year, q * 3 - 2), end: monthEnd(year, q * 3), label: `${year}年第${QUARTER_ZH[q - 1]}季度`, isEvent: false } };
    }
    case 'semiannual': {
      const h = Number(match[2]);
      return { ok: true, value: { period, start: monthStart(year, h * 6 - 5), end: monthEnd(year, h * 6), label: `${year}年${h === 1 ? '上' : '下'}半年`, isEvent: false } };
    }
    case 'annual':
      return { ok: true, value: { period, start: `${year}-01-01`, end: `${year}-12-31`, label: `${year}年度`, isEvent: false } };
    default: {
      const month = Number(match[2]);
      const day = Number(match[3]);
      if (ISO_DAY(Date.UTC(year, month - 1, day)) !== period) return fail(' (not a calendar date)');
      return { ok: true, value: { period, start: period, end: period, label: `${year}年${month}月${day}日`, isEvent: true } };
    }
  }
}

/** The frequency a period is written in (for compliance windows): 2025 → annual, 2025-Q2 → quarterly … */
export function frequencyOfPeriod(period: string): (typeof PERIODIC_FREQUENCIES)[number] | null {
  for (const f of PERIODIC_FREQUENCIES) if (PERIOD_FORMATS[f].pattern.test(period)) return f;
  return null;
}

/** When a period's disclosure is due: the day after which publishing is late (period end + due days). */
export function periodDueOn(periodEnd: string, dueDays: number): string {
  return addCalendarDays(periodEnd, dueDays);
}

// ---------- disclosures ----------

/**
 * States of a disclosure. `approved` and `rejected` belong to the joint review (联审) by the resident
 * cadre; until that step exists, items that need no review go draft → submitted → published.
 */
export const DISCLOSURE_STATUSES = ['draft', 'submitted', 'approved', 'rejected', 'published'] as const;
/** A disclosure state. */
export type TDisclosureStatus = (typeof DISCLOSURE_STATUSES)[number];

/** What one may do with a disclosure (the apps' buttons). */
export const DISCLOSURE_ACTIONS = ['edit', 'submit', 'review', 'publish', 'correct'] as const;
/** A disclosure action. */
export type TDisclosureAction = (typeof DISCLOSURE_ACTIONS)[number];

/** Limits of disclosure content. */
export const DISCLOSURE_LIMITS = { titleMax: 120, bodyMax: 20_000, reasonMax: 500, eventRefMax: 64, linesMax: 1000 } as const;

const ZTitle = z.string().trim().min(1, 'a title is required / 请填写标题').max(DISCLOSURE_LIMITS.titleMax);
const ZBody = z.string().trim().min(1, 'the content is required / 请填写公开内容').max(DISCLOSURE_LIMITS.bodyMax);
const ZEventRef = z.string().trim().min(1).max(DISCLOSURE_LIMITS.eventRefMax).regex(/^[^\s/][^/]*$/, 'no slashes / 不能含斜杠');
const ZLineIds = z.array(z.uuid()).max(DISCLOSURE_LIMITS.linesMax);

/** `POST /disclosures`: a draft. `period` follows the item's frequency (see parseDisclosurePeriod). */
export const ZCreateDisclosureRequest = z.object({
  villageCode: ZRegionCode,
  itemCode: ZDisclosureItemCode,
  period: z.string().trim().min(4).max(10),
  /** Event items: what the event was (resolution no., project stage …), to tell two events of a day apart. */
  eventRef: ZEventRef.optional(),
  title: ZTitle,
  body: ZBody,
  /** Village-ledger lines (收支明细) the disclosure publishes (F01). */
  lineIds: ZLineIds.optional(),
});
/** Create request. */
export type TCreateDisclosureRequest = z.infer<typeof ZCreateDisclosureRequest>;

/** `PATCH /disclosures/{id}`: change a draft (or a rejected disclosure, which becomes a draft again). */
export const ZUpdateDisclosureRequest = z
  .object({ period: z.string().trim().min(4).max(10).optional(), eventRef: ZEventRef.nullable().optional(), title: ZTitle.optional(), body: ZBody.optional(), lineIds: ZLineIds.optional() })
  .refine((v) => Object.values(v).some((x) => x !== undefined), { message: 'nothing to change / 没有要修改的内容' });
/** Update request. */
export type TUpdateDisclosureRequest = z.infer<typeof ZUpdateDisclosureRequest>;

/** `POST /disclosures/{id}/correct`: a new published version superseding the current one. */
export const ZCorrectDisclosureRequest = z.object({
  reason: z.string().trim().min(2, 'say why it is corrected / 请说明更正原因').max(DISCLOSURE_LIMITS.reasonMax),
  title: ZTitle.optional(),
  body: ZBody.optional(),
  lineIds: ZLineIds.optional(),
});
/** Correction request. */
export type TCorrectDisclosureRequest = z.infer<typeof ZCorrectDisclosureRequest>;

/** One line of a line diff. */
export const ZLineDiff = z.object({ op: z.enum(['equal', 'add', 'remove']), text: z.string() });
/** Line diff entry. */
export type TLineDiff = z.infer<typeof ZLineDiff>;

/** A published version, as published. */
export const ZDisclosureVersion = z.object({
  version: z.number().int(),
  title: z.string(),
  body: z.string(),
  structured: z.record(z.string(), z.unknown()),
  /** Why this correction was published; null for the first version. */
  reason: z.string().nullable(),
  publishedAt: z.string(),
  publisherName: z.string(),
  /** contentDigest(disclosureVersionContent(…)): what the ledger entry commits to. */
  digest: z.string(),
  ledgerIndex: z.number().int(),
  /** When the next version replaced it; null for the current one. */
  supersededAt: z.string().nullable(),
});
/** Version DTO. */
export type TDisclosureVersion = z.infer<typeof ZDisclosureVersion>;

/** What changed between two consecutive versions. */
export const ZDisclosureDiff = z.object({
  fromVersion: z.number().int(),
  toVersion: z.number().int(),
  title: z.object({ from: z.string(), to: z.string() }).nullable(),
  lines: z.array(ZLineDiff),
  added: z.number().int(),
  removed: z.number().int(),
});
/** Diff DTO. */
export type TDisclosureDiff = z.infer<typeof ZDisclosureDiff>;

/** A disclosure with every published version (newest first) and the diffs between them. */
export const ZDisclosure = z.object({
  id: z.string(),
  villageCode: ZRegionCode,
  villageName: z.string(),
  itemCode: z.string(),
  itemName: z.string(),
  category: z.string(),
  frequency: z.enum(DISCLOSURE_FREQUENCIES),
  period: z.string(),
  periodLabel: z.string(),
  eventRef: z.string().nullable(),
  /** The day after which publishing counts as late (period end or event date + due days). */
  dueOn: z.string(),
  status: z.enum(DISCLOSURE_STATUSES),
  /** The working copy: the draft, or the current version once published. */
  title: z.string(),
  body: z.string(),
  currentVersion: z.number().int().nullable(),
  /** Ledger entry of the current version (null before publication). */
  ledgerIndex: z.number().int().nullable(),
  digest: z.string().nullable(),
  /** Whether the joint review must approve it before publication (F01 once review exists). */
  needsReview: z.boolean(),
  allowedActions: z.array(z.enum(DISCLOSURE_ACTIONS)),
  createdAt: z.string(),
  submittedAt: z.string().nullable(),
  firstPublishedAt: z.string().nullable(),
  versions: z.array(ZDisclosureVersion),
  diffs: z.array(ZDisclosureDiff),
  /**
   * Joint-review decisions (联审), newest first, for items that need review: every decision for the
   * village's drafters and the reviewers, the approvals only for readers of the published disclosure.
   */
  reviews: z.array(ZReviewRecord).optional(),
  /**
   * What publishing now would publish besides title and body (F01: its lines, masked, with totals), for
   * the village's drafters and the reviewer while it is not yet published; null otherwise.
   */
  preview: z.record(z.string(), z.unknown()).nullable().optional(),
});
/** Disclosure DTO. */
export type TDisclosure = z.infer<typeof ZDisclosure>;

/** A row of a village's disclosure list. */
export const ZDisclosureListItem = z.object({
  id: z.string(),
  villageCode: ZRegionCode,
  itemCode: z.string(),
  itemName: z.string(),
  category: z.string(),
  period: z.string(),
  periodLabel: z.string(),
  eventRef: z.string().nullable(),
  status: z.enum(DISCLOSURE_STATUSES),
  title: z.string(),
  currentVersion: z.number().int().nullable(),
  isCorrected: z.boolean(),
  firstPublishedAt: z.string().nullable(),
  lastPublishedAt: z.string().nullable(),
  updatedAt: z.string(),
});
/** List item DTO. */
export type TDisclosureListItem = z.infer<typeof ZDisclosureListItem>;

/** `GET /villages/{code}/disclosures?item=&period=&status=&cursor=&limit=`. */
export const ZListVillageDisclosuresQuery = z.object({
  item: ZDisclosureItemCode.optional(),
  period: z.string().trim().regex(/^\d{4}(-[0-9QH][0-9]?(-\d{2})?)?$/, 'a period such as 2025-04, 2025-Q2, 2025 / 期间格式如 2025-04').optional(),
  /** Only the village's cadres and bookkeeper see unpublished states; others always get published ones. */
  status: z.enum(DISCLOSURE_STATUSES).optional(),
  cursor: z.string().max(200).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(30),
});
/** List query. */
export type TListVillageDisclosuresQuery = z.input<typeof ZListVillageDisclosuresQuery>;

/** Page of disclosures. */
export const ZDisclosurePage = z.object({ items: z.array(ZDisclosureListItem), nextCursor: z.string().nullable() });

/** The fields of a published version the ledger's digest covers. */
export interface TDisclosureVersionContentInput {
  disclosureId: string;
  villageCode: string;
  itemCode: string;
  period: string;
  eventRef: string | null;
  version: number;
  title: string;
  body: string;
  structured: Record<string, unknown>;
  reason: string | null;
  publishedAt: string;
}

/**
 * The published content of a version, whose `contentDigest` the ledger entry holds. Anyone holding the
 * version (the villager app included) recomputes the digest and checks it against the ledger proof.
 * No personal data: the publisher is an official on the record but stays out of the digest.
 */
export function disclosureVersionContent(v: TDisclosureVersionContentInput) {
  return {
    schema: 'disclosure/1',
    disclosure: v.disclosureId,
    village: v.villageCode,
    item: v.itemCode,
    period: v.period,
    eventRef: v.eventRef,
    version: v.version,
    title: v.title,
    body: v.body,
    structured: v.structured,
    reason: v.reason,
    publishedAt: v.publishedAt,
  };
}

// ---------- line diff ----------

/** Above this many cells the LCS table is not built: the changed middle is shown as removed then added. */
const DIFF_CELLS_MAX = 4_000_000;

/**
 * Line-by-line diff of two texts (longest common subsequence), in order: lines kept (`equal`),
 * lines only in `a` (`remove`) and lines only in `b` (`add`). Common head and tail lines are matched
 * first, so a small correction to a long disclosure costs little. Pure; the apps show the same diff.
 */
export function diffLines(a: string, b: string): TLineDiff[] {
  const x = a === '' ? [] : a.split(/\r?\n/);
  const y = b === '' ? [] : b.split(/\r?\n/);
  let head = 0;
  while (head < x.length && head < y.length && x[head] === y[head]) head++;
  let tail = 0;
  while (tail < x.length - head && tail < y.length - head && x[x.length - 1 - tail] === y[y.length - 1 - tail]) tail++;
  const xs = x.slice(head, x.length - tail);
  const ys = y.slice(head, y.length - tail);
  const out: TLineDiff[] = x.slice(0, head).map((text) => ({ op: 'equal' as const, text }));
  const n = xs.length;
  const m = ys.length;
  if (n * m > DIFF_CELLS_MAX) {
    for (const text of xs) out.push({ op: 'remove', text });
    for (const text of ys) out.push({ op: 'add', text });
  } else {
    // lcs[i * (m + 1) + j] = length of the LCS of xs[i..] and ys[j..]
    const width = m + 1;
    const lcs = new Uint32Array((n + 1) * width);
    for (let i = n - 1; i >= 0; i--) {
      for (let j = m - 1; j >= 0; j--) {
        lcs[i * width + j] = xs[i] === ys[j] ? lcs[(i + 1) * width + j + 1]! + 1 : Math.max(lcs[(i + 1) * width + j]!, lcs[i * width + j + 1]!);
      }
    }
    let i = 0;
    let j = 0;
    while (i < n && j < m) {
      if (xs[i] === ys[j]) {
        out.push({ op: 'equal', text: xs[i]! });
        i++;
        j++;
      } else if (lcs[(i + 1) * width + j]! >= lcs[i * width + j + 1]!) {
        out.push({ op: 'remove', text: xs[i++]! });
      } else {
        out.push({ op: 'add', text: ys[j++]! });
      }
    }
    while (i < n) out.push({ op: 'remove', text: xs[i++]! });
    while (j < m) out.push({ op: 'add', text: ys[j++]! });
  }
  for (const text of x.slice(x.length - tail)) out.push({ op: 'equal', text });
  return out;
}

// ---------- compliance (全覆盖) ----------

/** Outcome of one obligation (village, item, period or event). */
export const COMPLIANCE_STATUSES = ['on_time', 'late', 'missing', 'pending'] as const;
/** A compliance outcome. */
export type TComplianceStatus = (typeof COMPLIANCE_STATUSES)[number];

/** `GET /compliance?region=CODE&period=YYYY-MM` (also YYYY-Qn, YYYY-Hn, YYYY; default: last month). */
export const ZComplianceQuery = z.object({
  region: ZRegionCode,
  period: z.string().trim().regex(/^\d{4}(-(0[1-9]|1[0-2])|-Q[1-4]|-H[12])?$/, 'a month YYYY-MM, a quarter YYYY-Qn, a half YYYY-Hn or a year YYYY / 期间格式如 2025-04、2025-Q2、2025').optional(),
});
/** Compliance query. */
export type TComplianceQuery = z.infer<typeof ZComplianceQuery>;

const ZComplianceCounts = z.object({
  /** Obligations whose due day has passed or that are already published: onTime + late + missing. */
  due: z.number().int(),
  onTime: z.number().int(),
  late: z.number().int(),
  missing: z.number().int(),
  /** Not yet due and not yet published (not counted in `due`). */
  pending: z.number().int(),
  /** 全覆盖率: (onTime + late) / due; null when nothing is due. */
  rate: z.number().nullable(),
  /** onTime / due; null when nothing is due. */
  onTimeRate: z.number().nullable(),
});
/** Counts of one slice of the compliance report. */
export type TComplianceCounts = z.infer<typeof ZComplianceCounts>;

/** Compliance of a region for a period window: totals, per item, per child region, villages to chase. */
export const ZComplianceReport = z.object({
  region: z.object({ code: ZRegionCode, name: z.string(), level: z.string() }),
  period: z.string(),
  /** The window: obligations whose period ends in it, and events dated in it. */
  from: z.string(),
  to: z.string(),
  /** The China day the statuses were computed for. */
  asOf: z.string(),
  villages: z.number().int(),
  totals: ZComplianceCounts,
  byItem: z.array(ZComplianceCounts.extend({
    itemCode: z.string(),
    itemName: z.string(),
    category: z.string(),
    frequency: z.enum(DISCLOSURE_FREQUENCIES),
    /** Event items with no event registered in the window: nothing is owed (not applicable). */
    isApplicable: z.boolean(),
  })),
  byChild: z.array(ZComplianceCounts.extend({ code: ZRegionCode, name: z.string(), villages: z.number().int() })),
  villagesToChase: z.array(z.object({
    code: ZRegionCode,
    name: z.string(),
    townName: z.string().nullable(),
    missing: z.number().int(),
    late: z.number().int(),
    /** The missing obligations: item and period. */
    items: z.array(z.object({ itemCode: z.string(), period: z.string(), dueOn: z.string() })),
  })),
});
/** Compliance report DTO. */
export type TComplianceReport = z.infer<typeof ZComplianceReport>;
