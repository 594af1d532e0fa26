import { z } from 'zod';

/** Administrative levels of the 12-digit statistical division code (统计用区划代码). */
export const REGION_LEVELS = ['province', 'city', 'county', 'town', 'village'] as const;
/** A region level. */
export type TRegionLevel = (typeof REGION_LEVELS)[number];

/** Significant prefix length of each level: 350500000000 (city) → '3505'. */
export const LEVEL_PREFIX_LENGTH: Record<TRegionLevel, number> = {
  province: 2,
  city: 4,
  county: 6,
  town: 9,
  village: 12,
};

/** A 12-digit region code. */
export const ZRegionCode = z.string().regex(/^\d{12}$/, 'region code must be 12 digits / 区划代码须为12位数字');

/** Level of a well-formed 12-digit code from its trailing zeros. */
export function regionLevelOf(code: string): TRegionLevel {
  if (code.slice(9) !== '000') return 'village';
  if (code.slice(6, 9) !== '000') return 'town';
  if (code.slice(4, 6) !== '00') return 'county';
  if (code.slice(2, 4) !== '00') return 'city';
  return 'province';
}

/** The prefix that every code inside the region starts with. */
export function regionPrefix(code: string): string {
  return code.slice(0, LEVEL_PREFIX_LENGTH[regionLevelOf(code)]);
}

/** Whether `inner` lies inside (or is) `outer`. */
export function isWithinRegion(inner: string, outer: string): boolean {
  return inner.startsWith(regionPrefix(outer));
}

/** Parent code of a region (the level above), or null for a province. */
export function parentRegionCode(code: string): string | null {
  const level = regionLevelOf(code);
  const index = REGION_LEVELS.indexOf(level);
  if (index <= 0) return null;
  const parentLevel = REGION_LEVELS[index - 1]!;
  return code.slice(0, LEVEL_PREFIX_LENGTH[parentLevel]).padEnd(12, '0');
}

/** A region as the API presents it. */
export const ZRegion = z.object({
  code: ZRegionCode,
  name: z.string(),
  level: z.enum(REGION_LEVELS),
  parentCode: ZRegionCode.nullable(),
  /** True when the code is not an official one (illustrative demo code). */
  isIllustrative: z.boolean(),
  /** Full name path from the city down, e.g. 泉州市 / 洛江区 / 罗溪镇 / 广桥村. */
  path: z.array(z.object({ code: ZRegionCode, name: z.string() })),
  counts: z.object({
    children: z.number().int(),
    villages: z.number().int(),
    households: z.number().int(),
    members: z.number().int(),
  }),
});
/** A region DTO. */
export type TRegion = z.infer<typeof ZRegion>;

/** Params naming a region. */
export const ZRegionParams = z.object({ code: ZRegionCode });

/** Children of a region. */
export const ZRegionChildren = z.array(ZRegion);

/** One row of a regions import file (CSV or JSON). */
export const ZRegionImportRow = z.object({
  code: ZRegionCode,
  name: z.string().trim().min(1).max(64),
  isIllustrative: z.boolean().default(false),
});
/** A region import row. */
export type TRegionImportRow = z.infer<typeof ZRegionImportRow>;

/** Most rows one import request may carry (a whole province fits). */
export const REGION_IMPORT_MAX_ROWS = 50_000;

/** `POST /regions/import` (admin). */
export const ZRegionImportRequest = z.object({ rows: z.array(ZRegionImportRow).min(1).max(REGION_IMPORT_MAX_ROWS) });
/** Region import request. */
export type TRegionImportRequest = z.infer<typeof ZRegionImportRequest>;

/** Result of a regions import. */
export const ZRegionImportResult = z.object({
  total: z.number().int(),
  inserted: z.number().int(),
  updated: z.number().int(),
  /** Ledger entry of the new registry snapshot, null when nothing changed. */
  ledgerIndex: z.number().int().nullable(),
});
