import {
  HOUSEHOLD_IMPORT_COLUMNS,
  idNumberProblem,
  ZCreateGroupRequest,
  ZCreateHouseholdRequest,
  ZCreateMemberRequest,
  ZIdNumber,
  ZPhone,
  ZRegionCode,
  type TImportError,
} from '@cunwu/contract';
import type { z } from 'zod';

/** A field of the household import (English column key). */
export type TImportField = (typeof HOUSEHOLD_IMPORT_COLUMNS)[number]['en'];

/**
 * One cell as a reader hands it over: text (CSV, text cells), a number (Excel numeric cells, whose
 * original text is gone), or a problem found while reading (formula without a cached value, #N/A).
 */
export type TCell = string | number | { problem: string } | null;

/** A row of the file: its row number in the file (header = 1) and its cells by column index. */
export interface TRawRow {
  rowNumber: number;
  cells: TCell[];
}

/** Where each field sits in the file and how its header is spelled there. */
export type TColumnMap = Partial<Record<TImportField, { index: number; header: string }>>;

/** A row whose fields are all well-formed (scope, duplicates and the database come later). */
export interface TValidRow {
  rowNumber: number;
  villageCode: string;
  householdNo: string;
  headName: string;
  name: string;
  relation: string | null;
  phone: string | null;
  idNumber: string | null;
  groupName: string | null;
}

/** Reasons for cell problems the readers report (Chinese / English). */
export const CELL_PROBLEMS = {
  formulaWithoutValue: '公式单元格没有计算结果 / formula without a cached value',
  formulaError: (value: string) => `公式的计算结果是错误值 ${value} / the formula's cached result is the error ${value}`,
  errorValue: (value: string) => `单元格是错误值 ${value} / the cell holds the error value ${value}`,
  unsupported: '无法读取的单元格内容 / cell content that cannot be read',
} as const;

const REASONS = {
  required: '必填 / required',
  lostDigits: 'Excel 已把该数字改写为科学计数法或数值，末尾数字已丢失，请将该列设为“文本”后重新填写 / Excel stored this as a number and lost digits; format the column as text and enter it again',
  villageCode: '村代码须为12位数字 / village code must be 12 digits',
  nameTooLong: '姓名不能超过32个字 / a name has at most 32 characters',
} as const;

const DIGIT_FIELDS = new Set<TImportField>(['villageCode', 'phone', 'idNumber', 'householdNo']);

function normalizeHeader(text: string): string {
  return text
    .normalize('NFKC')
    .replace(/^\uFEFF/, '')
    .replace(/[（(]\s*必填\s*[)）]|[*＊]/g, '')
    .replace(/[\s_\-.]/g, '')
    .toLowerCase();
}

// Headers people commonly type instead of the template's, mapped to the same fields.
const HEADER_ALIASES: Record<string, TImportField> = {
  [normalizeHeader('身份证号码')]: 'idNumber',
  [normalizeHeader('公民身份号码')]: 'idNumber',
  [normalizeHeader('手机号码')]: 'phone',
  [normalizeHeader('联系电话')]: 'phone',
  [normalizeHeader('户主')]: 'headName',
  [normalizeHeader('村民姓名')]: 'name',
  [normalizeHeader('监督群名称')]: 'groupName',
};
const HEADER_FIELDS = new Map<string, TImportField>([
  ...HOUSEHOLD_IMPORT_COLUMNS.flatMap((c) => [[normalizeHeader(c.zh), c.en], [normalizeHeader(c.en), c.en]] as [string, TImportField][]),
  ...Object.entries(HEADER_ALIASES),
]);

/** Text of a header cell (numbers and problems are not headers). */
function headerText(cell: TCell): string {
  return typeof cell === 'string' ? cell.trim() : '';
}

/**
 * Match a row against the known column names (Chinese or English, any order, extra columns ignored).
 * Returns the map when at least two columns are recognised, so a title row above the header is skipped.
 */
export function matchHeader(cells: TCell[]): TColumnMap | null {
  const map: TColumnMap = {};
  let found = 0;
  cells.forEach((cell, index) => {
    const text = headerText(cell);
    const field = text ? HEADER_FIELDS.get(normalizeHeader(text)) : undefined;
    if (field && !map[field]) {
      map[field] = { index, header: text };
      found++;
    }
  });
  return found >= 2 ? map : null;
}

/** Required columns the header lacks (Chinese name / English key). */
export function missingColumns(map: TColumnMap): (typeof HOUSEHOLD_IMPORT_COLUMNS)[number][] {
  return HOUSEHOLD_IMPORT_COLUMNS.filter((c) => c.isRequired && !map[c.en]);
}

/**
 * Digits back from what Excel did to a long number: `1.3859001306E+10` is recovered exactly;
 * `1.3859E+10` lost digits (the zeros would be invented) and is refused; `13859001306.0` is fine.
 */
export function recoverDigits(text: string): string | { problem: string } {
  const scientific = /^(\d+)(?:\.(\d+))?e\+?(\d+)$/i.exec(text);
  if (scientific) {
    const [, whole, fraction = '', exponent] = scientific;
    if (fraction.length !== Number(exponent)) return { problem: REASONS.lostDigits };
    return (whole! + fraction).replace(/^0+(?=\d)/, '');
  }
  const decimal = /^(\d+)\.0+$/.exec(text);
  return decimal ? decimal[1]! : text;
}

/** A cell as text for one field, or a problem (numbers are turned back into digits where safe). */
function cellText(cell: TCell | undefined, field: TImportField): string | { problem: string } {
  if (cell === null || cell === undefined) return '';
  if (typeof cell === 'object') return cell;
  if (typeof cell === 'number') {
    if (!DIGIT_FIELDS.has(field)) return String(cell);
    // An 18-digit ID or anything past 2^53 cannot be a JavaScript number without rounding.
    if (!Number.isSafeInteger(cell) || (field === 'idNumber' && cell >= 1e15)) return { problem: REASONS.lostDigits };
    return String(cell);
  }
  if (!DIGIT_FIELDS.has(field)) return cell.replace(/^[\s\u3000]+|[\s\u3000]+$/g, '');
  // Full-width digits, a leading apostrophe (Excel's "keep as text"), spaces and dashes in phones.
  let text = cell.normalize('NFKC').trim().replace(/^'/, '');
  if (field === 'phone' || field === 'idNumber') text = text.replace(/[\s-]/g, '');
  return recoverDigits(text);
}

function firstIssue(result: z.ZodSafeParseResult<unknown>): string {
  return result.success ? '' : (result.error.issues[0]?.message ?? 'invalid');
}

const householdNoSchema = ZCreateHouseholdRequest.shape.householdNo;
const nameSchema = ZCreateHouseholdRequest.shape.headName;
const relationSchema = ZCreateMemberRequest.shape.relation.unwrap();
const groupNameSchema = ZCreateGroupRequest.shape.name;


/**
 * Check every field of a row against the contract's schemas. Returns the row, or its problems (each
 * naming the column as the file spells it) and its village code when that at least is well-formed.
 */
export function validateRow(raw: TRawRow, columns: TColumnMap): { row: TValidRow } | { errors: TImportError[]; villageCode: string | null } {
  const errors: TImportError[] = [];
  const fail = (field: TImportField, reason: string) => errors.push({ row: raw.rowNumber, column: columns[field]?.header ?? field, reason });
  const text = (field: TImportField): string | null => {
    const column = columns[field];
    if (!column) return null;
    const value = cellText(raw.cells[column.index], field);
    if (typeof value === 'object') {
      fail(field, value.problem);
      return null;
    }
    return value;
  };
  const required = (field: TImportField, check: (value: string) => string | null): string => {
    const value = text(field);
    if (value === null) return '';
    if (value === '') {
      fail(field, REASONS.required);
      return '';
    }
    const problem = check(value);
    if (problem) fail(field, problem);
    return value;
  };
  const optional = (field: TImportField, check: (value: string) => string | null): string | null => {
    const value = text(field);
    if (!value) return null;
    const problem = check(value);
    if (problem) fail(field, problem);
    return value;
  };

  const villageCode = required('villageCode', (v) => (ZRegionCode.safeParse(v).success ? null : REASONS.villageCode));
  const isVillageCodeValid = errors.length === 0;
  const householdNo = required('householdNo', (v) => (v.length > 32 ? '户号不能超过32个字符 / household number: at most 32 characters' : firstIssue(householdNoSchema.safeParse(v)) || null));
  const headName = required('headName', (v) => (nameSchema.safeParse(v).success ? null : REASONS.nameTooLong));
  const name = required('name', (v) => (nameSchema.safeParse(v).success ? null : REASONS.nameTooLong));
  const relation = optional('relation', (v) => (relationSchema.safeParse(v).success ? null : '与户主关系不能超过16个字 / relation: at most 16 characters'));
  const phone = optional('phone', (v) => firstIssue(ZPhone.safeParse(v)) || null);
  let idNumber = optional('idNumber', (v) => {
    const parsed = ZIdNumber.safeParse(v);
    return parsed.success ? idNumberProblem(parsed.data) : firstIssue(parsed);
  });
  if (idNumber) idNumber = idNumber.toUpperCase();
  const groupName = optional('groupName', (v) => (groupNameSchema.safeParse(v).success ? null : '监督群名称不能超过64个字 / group name: at most 64 characters'));
  // A well-formed village code is returned with the errors, so the village and scope checks can
  // report their problems in the same pass.
  if (errors.length) return { errors, villageCode: isVillageCodeValid ? villageCode : null };
  return { row: { rowNumber: raw.rowNumber, villageCode, householdNo, headName, name, relation, phone, idNumber, groupName } };
}

/** Whether a row has nothing in it (skipped without counting, like Excel's empty rows). */
export function isBlankRow(raw: TRawRow): boolean {
  return raw.cells.every((cell) => cell === null || (typeof cell === 'string' && cell.trim() === ''));
}

/**
 * A 64-bit non-cryptographic hash of a string (cyrb53's mixing, both 32-bit halves kept): ~50× faster
 * than MD5 per call, and at 1.8 million keys close enough to ideal for duplicate detection.
 */
function hash64(key: string, seed = 0): [number, number] {
  let h1 = 0xdeadbeef ^ seed;
  let h2 = 0x41c6ce57 ^ seed;
  for (let i = 0; i < key.length; i++) {
    const ch = key.charCodeAt(i);
    h1 = Math.imul(h1 ^ ch, 2654435761);
    h2 = Math.imul(h2 ^ ch, 1597334677);
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507);
  h1 ^= Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507);
  h2 ^= Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  return [h1 >>> 0, h2 >>> 0];
}

/** A 32-bit tag of a value (what a second sighting of a key is compared with). */
export function tagOf(value: string): number {
  return hash64(value, 0x9e3779b9)[0];
}

/**
 * Keys seen in this file (members, households) with the row that first had them and a 32-bit tag,
 * kept in typed arrays: 1.79 million keys take ~40 MB and no garbage-collected objects. Keys are
 * 64-bit hashes; at city scale a false "duplicate" has a probability of about 1e-7.
 */
export class SeenKeys {
  private hi = new Uint32Array(1 << 16);
  private lo = new Uint32Array(1 << 16);
  private rows = new Int32Array(1 << 16);
  private tags = new Uint32Array(1 << 16);
  private size = 0;

  /** Remember `key` (first sighting: returns null) or return the row and tag it was first seen with. */
  seen(key: string, row: number, tag: number): { row: number; tag: number } | null {
    if ((this.size + 1) * 2 > this.hi.length) this.grow();
    const [a, b0] = hash64(key);
    const b = b0 === 0 && a === 0 ? 1 : b0; // (0, 0) marks an empty slot
    const mask = this.hi.length - 1;
    let slot = b & mask;
    while (this.hi[slot] !== 0 || this.lo[slot] !== 0) {
      if (this.hi[slot] === a && this.lo[slot] === b) return { row: this.rows[slot]!, tag: this.tags[slot]! };
      slot = (slot + 1) & mask;
    }
    this.hi[slot] = a;
    this.lo[slot] = b;
    this.rows[slot] = row;
    this.tags[slot] = tag;
    this.size++;
    return null;
  }

  private grow(): void {
    const { hi, lo, rows, tags } = this;
    const capacity = hi.length * 2;
    this.hi = new Uint32Array(capacity);
    this.lo = new Uint32Array(capacity);
    this.rows = new Int32Array(capacity);
    this.tags = new Uint32Array(capacity);
    const mask = capacity - 1;
    for (let i = 0; i < hi.length; i++) {
      if (hi[i] === 0 && lo[i] === 0) continue;
      let slot = lo[i]! & mask;
      while (this.hi[slot] !== 0 || this.lo[slot] !== 0) slot = (slot + 1) & mask;
      this.hi[slot] = hi[i]!;
      this.lo[slot] = lo[i]!;
      this.rows[slot] = rows[i]!;
      this.tags[slot] = tags[i]!;
    }
  }
}
