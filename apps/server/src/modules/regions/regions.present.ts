import type { TRegion } from '@cunwu/contract';
import type { TRegionRow } from './regions.repo';

/** A region DTO with its name path. */
export function presentRegion(row: TRegionRow, names: Map<string, string>, ancestors: string[]): TRegion {
  return {
    code: row.code,
    name: row.name,
    level: row.level,
    parentCode: row.parentCode,
    isIllustrative: row.isIllustrative,
    path: [...ancestors, row.code].filter((code) => names.has(code) || code === row.code).map((code) => ({ code, name: code === row.code ? row.name : names.get(code)! })),
    counts: { children: row.children, villages: row.villages, households: row.households, members: row.members },
  };
}
