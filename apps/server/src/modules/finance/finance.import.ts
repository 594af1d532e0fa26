import type { Readable } from 'node:stream';
import ExcelJS from 'exceljs';
import {
  chinaDate, COUNTERPARTY_KINDS, FINANCE_LABELS, FINANCE_LIMITS, LEDGER_IMPORT_COLUMNS, PAYMENT_METHODS, parseYuanToFen, ZBusinessDate, ZCreateLedgerLineRequest,
  ZRegionCode, type TCounterpartyKind, type TImportError, type TLedgerDirection, type TLedgerImportResult, type TPaymentMethod,
} from '@cunwu/contract';
import { recordAudit, type TAuditContext } from '../../kernel/audit';
import { AppError, invalid } from '../../kernel/errors';
import { recordFile } from '../../kernel/files.repo';
import { authorize, isInScope, type TActor } from '../../kernel/policy';
import type { TServices } from '../../kernel/services';
import { checkFileKind, ImportFailure, MAX_XLSX_RATIO, openImportSource, readHead, sanitizeFileName, type TCell, type TDownload, type TRawRow } from '../imports';
import * as repo from './finance.repo';

// Spreadsheet import of ledger lines (.xlsx or .csv with the LEDGER_IMPORT_COLUMNS headers, Chinese or
// English). All or nothing: one bad cell and no line is created, every problem is answered with its
// row and column. Rows identical to a line already in the ledger are skipped, so uploading the same
// sheet twice creates its lines once.

/** A sheet upload as the route hands it over. */
export interface TSheetUpload {
  villageCode: string;
  stream: Readable;
  fileName: string;
  isTruncated: () => boolean;
}

type TKey = (typeof LEDGER_IMPORT_COLUMNS)[number]['key'];

/** A well-formed row of the sheet. */
export interface TSheetLine {
  rowNumber: number;
  date: string;
  direction: TLedgerDirection;
  amountFen: number;
  subject: string;
  counterparty: string;
  counterpartyKind: TCounterpartyKind;
  paymentMethod: TPaymentMethod;
  voucherNo: string;
  summary: string | null;
}

const REQUIRED: readonly TKey[] = ['date', 'direction', 'amount', 'subject', 'counterparty', 'paymentMethod', 'voucherNo'];

/** Largest uncompressed part of an .xlsx (a 5,000-row sheet is a few MB). */
const MAX_XLSX_ENTRY_BYTES = 64 * 1024 * 1024;
/** Rows above the header looked at for the header (a title row or two is common). */
const HEADER_SEARCH_ROWS = 10;

function normalizeHeader(text: string): string {
  return text.normalize('NFKC').replace(/^\uFEFF/, '').replace(/[（(]\s*必填\s*[)）]|[*＊]/g, '').replace(/[\s_\-.:：]/g, '').toLowerCase();
}

// Template headers (Chinese and English), the keys themselves, and what bookkeepers commonly type instead.
const HEADERS = new Map<string, TKey>([
  ...LEDGER_IMPORT_COLUMNS.flatMap((c) => [[normalizeHeader(c.zh), c.key], [normalizeHeader(c.en), c.key], [normalizeHeader(c.key), c.key]] as [string, TKey][]),
  ...([
    ['金额', 'amount'], ['金额(元)', 'amount'], ['金额元', 'amount'], ['收支类型', 'direction'], ['类型', 'direction'], ['科目', 'subject'], ['会计科目名称', 'subject'],
    ['对方单位', 'counterparty'], ['对方', 'counterparty'], ['收付款单位', 'counterparty'], ['对方类别', 'counterpartyKind'], ['付款方式', 'paymentMethod'],
    ['结算方式', 'paymentMethod'], ['凭证编号', 'voucherNo'], ['凭证号码', 'voucherNo'], ['备注', 'summary'], ['业务日期', 'date'], ['记账日期', 'date'],
  ] as [string, TKey][]).map(([h, k]) => [normalizeHeader(h), k] as [string, TKey]),
]);

const DIRECTIONS = new Map<string, TLedgerDirection>([['收入', 'income'], ['收', 'income'], ['income', 'income'], ['支出', 'expense'], ['支', 'expense'], ['expense', 'expense']]);
const KINDS = new Map<string, TCounterpartyKind>([
  ...COUNTERPARTY_KINDS.map((k) => [k, k] as [string, TCounterpartyKind]),
  ...Object.entries(FINANCE_LABELS.counterpartyKind).map(([k, zh]) => [zh, k as TCounterpartyKind] as [string, TCounterpartyKind]),
  ['organization', 'organisation'], ['企业', 'organisation'], ['公司', 'organisation'], ['村民', 'person'],
]);
const METHODS = new Map<string, TPaymentMethod>([
  ...PAYMENT_METHODS.map((m) => [m, m] as [string, TPaymentMethod]),
  ...Object.entries(FINANCE_LABELS.paymentMethod).map(([m, zh]) => [zh, m as TPaymentMethod] as [string, TPaymentMethod]),
  ['银行', 'bank'], ['转账', 'bank'], ['银行转帐', 'bank'], ['对公转账', 'bank'], ['微信支付', 'wechat'], ['支付宝转账', 'alipay'],
]);

const REASONS = {
  required: '必填 / required',
  date: '日期格式如 2026-04-03 / a date such as 2026-04-03',
  futureDate: '日期不能晚于今天 / the date is in the future',
  direction: '填“收入”或“支出” / 收入 (income) or 支出 (expense)',
  amount: '金额须为大于零、最多两位小数的数字，如 1280.50 / an amount above zero with at most two decimals, e.g. 1280.50',
  amountTooLarge: '金额过大 / the amount is implausibly large',
  kind: '填“单位”或“个人” / 单位 (organisation) or 个人 (person)',
  method: `填${Object.values(FINANCE_LABELS.paymentMethod).join('、')}之一 / one of ${PAYMENT_METHODS.join(', ')}`,
  cell: '无法读取的单元格内容 / cell content that cannot be read',
} as const;

/** A cell as trimmed text ('' when empty); a problem cell as its problem. */
function cellText(cell: TCell | undefined): string | { problem: string } {
  if (cell === null || cell === undefined) return '';
  if (typeof cell === 'object') return cell;
  if (typeof cell === 'number') return String(cell);
  return cell.normalize('NFKC').replace(/^[\s\u3000]+|[\s\u3000]+$/g, '').replace(/^'/, '');
}

/** 2026-04-03, 2026/4/3, 2026.04.03, 2026年4月3日, 20260403, or an Excel day number. */
function parseDate(cell: TCell | undefined): string | null {
  if (typeof cell === 'number') {
    if (Number.isInteger(cell) && cell >= 19000101 && cell <= 29991231) return parseDate(String(cell));
    if (!Number.isInteger(cell) || cell < 20000 || cell > 80000) return null;
    return new Date(Date.UTC(1899, 11, 30) + cell * 86_400_000).toISOString().slice(0, 10);
  }
  const text = cellText(cell);
  if (typeof text !== 'string') return null;
  const m = /^(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?(?:\s.*)?$/.exec(text) ?? /^(\d{4})(\d{2})(\d{2})$/.exec(text);
  if (!m) return null;
  const iso = `${m[1]}-${m[2]!.padStart(2, '0')}-${m[3]!.padStart(2, '0')}`;
  return ZBusinessDate.safeParse(iso).success ? iso : null;
}

/** Yuan to fen exactly: text by string arithmetic; a numeric cell when it has at most two decimals. */
function parseAmount(cell: TCell | undefined): number | null {
  if (typeof cell === 'number') {
    const fen = Math.round(cell * 100);
    return Number.isFinite(cell) && Math.abs(cell * 100 - fen) < 1e-6 ? fen : null;
  }
  const text = cellText(cell);
  return typeof text === 'string' ? parseYuanToFen(text) : null;
}

function firstIssue(result: { success: boolean; error?: { issues: { message: string }[] } }): string | null {
  return result.success ? null : (result.error?.issues[0]?.message ?? 'invalid');
}

/** Where each column sits in the file and how its header is written there. */
type TColumns = Partial<Record<TKey, { index: number; header: string }>>;

function matchHeader(cells: TCell[]): TColumns | null {
  const map: TColumns = {};
  let found = 0;
  cells.forEach((cell, index) => {
    const text = typeof cell === 'string' ? cell.trim() : '';
    const key = text ? HEADERS.get(normalizeHeader(text)) : undefined;
    if (key && !map[key]) {
      map[key] = { index, header: text };
      found++;
    }
  });
  return found >= 2 ? map : null;
}

/** Check one data row; returns the line or its problems (each naming the column as the file spells it). */
export function validateSheetRow(raw: TRawRow, columns: TColumns, today: string): { line: TSheetLine } | { errors: TImportError[] } {
  const errors: TImportError[] = [];
  const fail = (key: TKey, reason: string) => errors.push({ row: raw.rowNumber, column: columns[key]?.header ?? key, reason });
  const cell = (key: TKey) => (columns[key] ? raw.cells[columns[key].index] : undefined);
  const text = (key: TKey, isRequired: boolean): string | null => {
    const value = cellText(cell(key));
    if (typeof value !== 'string') {
      fail(key, value.problem || REASONS.cell);
      return null;
    }
    if (value === '') {
      if (isRequired) fail(key, REASONS.required);
      return null;
    }
    return value;
  };

  let date: string | null = null;
  if (text('date', true) !== null) {
    date = parseDate(cell('date'));
    if (date === null) fail('date', REASONS.date);
    else if (date > today) fail('date', REASONS.futureDate);
  }
  const directionText = text('direction', true);
  const direction = directionText === null ? null : (DIRECTIONS.get(directionText.toLowerCase()) ?? null);
  if (directionText !== null && direction === null) fail('direction', REASONS.direction);
  let amountFen: number | null = null;
  if (text('amount', true) !== null) {
    amountFen = parseAmount(cell('amount'));
    if (amountFen === null || amountFen <= 0) fail('amount', REASONS.amount);
    else if (amountFen > FINANCE_LIMITS.amountFenMax) fail('amount', REASONS.amountTooLarge);
  }
  const checked = (key: 'subject' | 'counterparty' | 'voucherNo' | 'summary', isRequired: boolean): string | null => {
    const value = text(key, isRequired);
    if (value === null) return null;
    const problem = firstIssue(ZCreateLedgerLineRequest.shape[key].safeParse(value));
    if (problem) fail(key, problem);
    return value;
  };
  const subject = checked('subject', true);
  const counterparty = checked('counterparty', true);
  const kindText = text('counterpartyKind', false);
  const counterpartyKind = kindText === null ? 'organisation' : (KINDS.get(kindText.toLowerCase()) ?? null);
  if (counterpartyKind === null) fail('counterpartyKind', REASONS.kind);
  const methodText = text('paymentMethod', true);
  const paymentMethod = methodText === null ? null : (METHODS.get(methodText.toLowerCase()) ?? null);
  if (methodText !== null && paymentMethod === null) fail('paymentMethod', REASONS.method);
  const voucherNo = checked('voucherNo', true);
  const summary = checked('summary', false);
  if (errors.length > 0) return { errors };
  return { line: { rowNumber: raw.rowNumber, date: date!, direction: direction!, amountFen: amountFen!, subject: subject!, counterparty: counterparty!, counterpartyKind: counterpartyKind!, paymentMethod: paymentMethod!, voucherNo: voucherNo!, summary } };
}

function isEmptyRow(cells: TCell[]): boolean {
  return cells.every((c) => c === null || c === undefined || (typeof c === 'string' && c.trim() === ''));
}

/** Read every row of the sheet: the header (Chinese or English names, any order), then the lines. */
export async function parseLedgerSheet(rows: AsyncIterable<TRawRow>, today: string): Promise<{ lines: TSheetLine[]; errors: TImportError[] }> {
  let columns: TColumns | null = null;
  let seen = 0;
  const lines: TSheetLine[] = [];
  const errors: TImportError[] = [];
  for await (const raw of rows) {
    seen++;
    if (!columns) {
      columns = matchHeader(raw.cells);
      if (columns) {
        const missing = REQUIRED.filter((key) => !columns![key]);
        if (missing.length > 0) {
          throw new ImportFailure(
            `缺少必填列：${missing.map((k) => LEDGER_IMPORT_COLUMNS.find((c) => c.key === k)!.zh).join('、')} / missing columns: ${missing.map((k) => LEDGER_IMPORT_COLUMNS.find((c) => c.key === k)!.en).join(', ')}`,
            missing.map((k) => ({ row: raw.rowNumber, column: LEDGER_IMPORT_COLUMNS.find((c) => c.key === k)!.zh, reason: '缺少该列 / missing column' })),
          );
        }
      } else if (seen >= HEADER_SEARCH_ROWS) {
        break;
      }
      continue;
    }
    if (isEmptyRow(raw.cells)) continue;
    if (lines.length + errors.length >= FINANCE_LIMITS.importRowsMax) {
      throw new ImportFailure(`一次最多导入 ${FINANCE_LIMITS.importRowsMax} 行 / at most ${FINANCE_LIMITS.importRowsMax} rows per sheet`);
    }
    const result = validateSheetRow(raw, columns, today);
    if ('line' in result) lines.push(result.line);
    else errors.push(...result.errors);
  }
  if (!columns) {
    const header = LEDGER_IMPORT_COLUMNS.map((c) => c.zh).join('、');
    throw new ImportFailure(`找不到表头，请使用导入模板（${header}）/ no header row found; use the import template`, [{ row: 1, column: '', reason: '找不到表头 / no header row' }]);
  }
  return { lines, errors };
}

/** The identity of a line for the idempotent import. */
function lineKey(l: { lineDate: string; direction: string; amountFen: number; subject: string; counterparty: string; voucherNo: string }): string {
  return JSON.stringify([l.lineDate, l.direction, l.amountFen, l.subject, l.counterparty, l.voucherNo]);
}

function failureOf(error: unknown, status: 'VALIDATION_FAILED' | 'UNSUPPORTED_MEDIA_TYPE'): never {
  if (error instanceof ImportFailure) {
    const fields = [{ field: 'file', reason: error.message }, ...error.errors.map((e) => ({ field: e.column ? `row ${e.row}: ${e.column}` : `row ${e.row}`, reason: e.reason }))];
    throw new AppError(status, `file: ${error.message}`, status === 'VALIDATION_FAILED' ? fields : undefined);
  }
  throw error;
}

/**
 * `POST /ledger-lines/import`: a bookkeeper or cadre of the village imports a sheet of lines. A file
 * that cannot be read at all (wrong type, zip bomb, no header, missing columns) is a 4xx problem; a
 * readable file with bad rows answers 200 with `errors` (row, column, reason) and creates nothing.
 * The sheet itself is kept (content-addressed) and named in the audit event.
 */
export async function importLines(services: TServices, actor: TActor, ctx: TAuditContext, upload: TSheetUpload): Promise<TLedgerImportResult> {
  try {
    if (!ZRegionCode.safeParse(upload.villageCode).success) throw invalid('villageCode', 'a 12-digit region code / 12位区划代码');
    const scope = authorize(actor, 'finance.write');
    if (!isInScope(scope, upload.villageCode)) throw new AppError('NOT_FOUND', `village ${upload.villageCode}`);
    if (!(await repo.findVillage(services.db, upload.villageCode))) throw invalid('villageCode', 'not a village / 不是村（社区）级区划');
  } catch (error) {
    upload.stream.resume();
    throw error;
  }
  const maxBytes = FINANCE_LIMITS.importMaxBytes;
  const stored = await services.files.put(upload.stream, { maxBytes });
  if (upload.isTruncated()) throw new AppError('PAYLOAD_TOO_LARGE', `file exceeds ${maxBytes} bytes / 文件超过 ${maxBytes / 1024 / 1024} MB`);
  const fileName = sanitizeFileName(upload.fileName);
  let kind: 'csv' | 'xlsx';
  try {
    kind = await checkFileKind(await readHead(services.files.get(stored.sha256)), fileName);
  } catch (error) {
    failureOf(error, 'UNSUPPORTED_MEDIA_TYPE');
  }
  const now = services.clock.now();
  let parsed: { lines: TSheetLine[]; errors: TImportError[] };
  try {
    const source = await openImportSource(services.files, stored.sha256, kind, { maxXlsxEntryBytes: MAX_XLSX_ENTRY_BYTES, maxXlsxRatio: MAX_XLSX_RATIO });
    try {
      parsed = await parseLedgerSheet(source.rows, chinaDate(now));
    } finally {
      await source.close();
    }
  } catch (error) {
    failureOf(error, 'VALIDATION_FAILED');
  }
  if (parsed.errors.length > 0) return { created: 0, skipped: 0, errors: parsed.errors, lineIds: [] };
  if (parsed.lines.length === 0) throw invalid('file', '表格中没有收支明细 / the sheet has no lines');
  return services.db.transaction().execute(async (tx) => {
    await repo.lockVillageLedger(tx, upload.villageCode);
    const dates = parsed.lines.map((l) => l.date).sort();
    const existing = new Set((await repo.findLineKeys(tx, upload.villageCode, dates[0]!, dates[dates.length - 1]!)).map(lineKey));
    const fresh: TSheetLine[] = [];
    for (const line of parsed.lines) {
      const key = lineKey({ ...line, lineDate: line.date });
      if (existing.has(key)) continue; // already in the ledger, or the same row twice in the sheet
      existing.add(key);
      fresh.push(line);
    }
    const lineIds = await repo.insertLines(tx, fresh.map((l) => ({
      regionCode: upload.villageCode, direction: l.direction, lineDate: l.date, amountFen: l.amountFen, subject: l.subject, counterparty: l.counterparty,
      counterpartyKind: l.counterpartyKind, paymentMethod: l.paymentMethod, voucherNo: l.voucherNo, summary: l.summary,
      reviewStatus: l.direction === 'expense' ? 'pending' : 'not_required', createdBy: actor.userId, createdAt: now,
    })));
    await recordFile(tx, { sha256: stored.sha256, sizeBytes: stored.sizeBytes, mimeType: kind === 'xlsx' ? XLSX_MIME : 'text/csv' });
    await recordAudit(tx, ctx, {
      action: 'finance.line.import', entityType: 'village', entityId: upload.villageCode, regionCode: upload.villageCode,
      details: { sha256: stored.sha256, fileName, rows: parsed.lines.length, created: lineIds.length, skipped: parsed.lines.length - lineIds.length },
    });
    return { created: lineIds.length, skipped: parsed.lines.length - lineIds.length, errors: [], lineIds };
  });
}

const XLSX_MIME = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

const NOTES = [
  '填写说明 / How to fill in',
  '1. 每行一笔收入或支出；第一行为表头，列的顺序不限，也可用英文列名。 One income or expense per row; columns in any order, English headers accepted.',
  `2. 必填列：${REQUIRED.map((k) => LEDGER_IMPORT_COLUMNS.find((c) => c.key === k)!.zh).join('、')}；对方类型留空为“单位”。 Counterparty kind defaults to organisation.`,
  '3. 收支填“收入”或“支出”；金额以元为单位，最多两位小数（如 1280.50）。 Amounts in yuan with at most two decimals.',
  `4. 支付方式填：${Object.values(FINANCE_LABELS.paymentMethod).join('、')}。`,
  '5. 对方为个人时，对方类型请填“个人”：公开时姓名将隐去（如 夏**）。 A person\'s name is masked when published.',
  '6. 有一行出错则整表不导入，并列出出错的行和列；重复导入同一文件不会产生重复明细。 One bad row and nothing is imported; re-importing the same sheet creates nothing twice.',
  '7. 支出导入后须经驻村干部联审；发票请在明细中逐笔上传。 Expenses then wait for the resident cadre\'s review; attach invoices line by line.',
];

/** `GET /ledger-lines/import-template`: the header row, one example row, text-formatted date and voucher columns, and notes. */
export async function ledgerTemplateXlsx(actor: TActor): Promise<TDownload> {
  if (actor.kind !== 'official') throw new AppError('FORBIDDEN', 'officials only / 仅限工作人员');
  const workbook = new ExcelJS.Workbook();
  workbook.creator = '村务监督平台';
  const sheet = workbook.addWorksheet('收支明细', { views: [{ state: 'frozen', ySplit: 1 }] });
  sheet.columns = LEDGER_IMPORT_COLUMNS.map((c) => ({
    key: c.key,
    width: c.key === 'counterparty' ? 28 : c.key === 'summary' || c.key === 'voucherNo' ? 18 : 12,
    style: c.key === 'date' || c.key === 'voucherNo' ? { numFmt: '@' } : {},
  }));
  const header = sheet.addRow(LEDGER_IMPORT_COLUMNS.map((c) => c.zh));
  header.font = { bold: true };
  header.eachCell((cell, col) => {
    cell.fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: REQUIRED.includes(LEDGER_IMPORT_COLUMNS[col - 1]!.key) ? 'FFFDE2E2' : 'FFEFF3F8' } };
  });
  sheet.addRow(LEDGER_IMPORT_COLUMNS.map((c) => c.example));
  const notes = workbook.addWorksheet('填写说明');
  notes.getColumn(1).width = 120;
  for (const line of NOTES) notes.addRow([line]);
  notes.getRow(1).font = { bold: true };
  return { body: Buffer.from(await workbook.xlsx.writeBuffer()), contentType: XLSX_MIME, fileName: '收支明细导入模板.xlsx' };
}
