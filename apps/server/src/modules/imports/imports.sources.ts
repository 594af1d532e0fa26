import { createReadStream, createWriteStream } from 'node:fs';
import { mkdtemp, open, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { pipeline as pipelineCallback, Readable, Transform, type TransformCallback } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { TextDecoder } from 'node:util';
import { parse as parseCsv, type CsvError } from 'csv-parse';
import ExcelJS from 'exceljs';
import { fileTypeFromBuffer } from 'file-type';
import iconv from 'iconv-lite';
import yauzl from 'yauzl';
import type { TImportError } from '@cunwu/contract';
import type { TFileStore } from '../../kernel/storage';
import { CELL_PROBLEMS, type TCell, type TRawRow } from './imports.rows';

/** A reason the whole file cannot be imported (wrong type, zip bomb, missing columns, broken CSV). */
export class ImportFailure extends Error {
  constructor(
    message: string,
    /** Errors to show next to the failure (e.g. one per missing header column). */
    readonly errors: TImportError[] = [],
  ) {
    super(message);
    this.name = 'ImportFailure';
  }
}

/** Limits the readers enforce (the contract's IMPORT_LIMITS, lowered in tests). */
export interface TReaderLimits {
  /** Largest uncompressed part inside an .xlsx. */
  maxXlsxEntryBytes: number;
  /** Largest uncompressed/compressed ratio of a part bigger than 1 MB (a zip bomb's is ~1000). */
  maxXlsxRatio: number;
}

/** The ratio above which a large part counts as a zip bomb: real sheets compress 5–30×. */
export const MAX_XLSX_RATIO = 200;
const RATIO_CHECK_ABOVE_BYTES = 1024 * 1024;
const MAX_XLSX_ENTRIES = 10_000;

/** An opened import file: rows streamed in file order, and how many rows it has (when cheap to know). */
export interface TImportSource {
  kind: 'csv' | 'xlsx';
  /** Rows in the file including the header, or null when unknown; a first estimate for the progress bar. */
  totalRows: number | null;
  rows: AsyncIterable<TRawRow>;
  close(): Promise<void>;
}

const XLSX_MIME = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
const ZIP_MAGIC = Buffer.from([0x50, 0x4b, 0x03, 0x04]);
const EMPTY_ZIP_MAGIC = Buffer.from([0x50, 0x4b, 0x05, 0x06]);

/** The first bytes of a stream (for content sniffing); destroys the stream. */
export async function readHead(stream: Readable, bytes = 4100): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let length = 0;
  for await (const chunk of stream) {
    chunks.push(chunk as Buffer);
    length += (chunk as Buffer).length;
    if (length >= bytes) break;
  }
  stream.destroy();
  return Buffer.concat(chunks).subarray(0, bytes);
}

function isZip(head: Buffer): boolean {
  return head.subarray(0, 4).equals(ZIP_MAGIC) || head.subarray(0, 4).equals(EMPTY_ZIP_MAGIC);
}

function looksLikeText(head: Buffer): boolean {
  if (head[0] === 0xff && head[1] === 0xfe) return true; // UTF-16 LE (Excel's "Unicode text")
  if (head[0] === 0xfe && head[1] === 0xff) return true;
  return !head.includes(0);
}

/** What the bytes are, by content: the MIME type stored with the file. */
export async function sniffMime(head: Buffer): Promise<string> {
  if (isZip(head)) return XLSX_MIME;
  const type = await fileTypeFromBuffer(head);
  if (type) return type.mime;
  return looksLikeText(head) ? 'text/csv' : 'application/octet-stream';
}

async function describe(head: Buffer): Promise<string> {
  if (head.length === 0) return '空文件 an empty file';
  const type = await fileTypeFromBuffer(head);
  if (type?.ext === 'cfb') return '旧版 Excel（.xls）或其他 Office 97 文件 an old Excel .xls / Office 97 file';
  if (type) return `${type.ext.toUpperCase()}（${type.mime}）`;
  return looksLikeText(head) ? '文本 text' : '未知的二进制数据 unknown binary data';
}

/**
 * Decide by extension AND content which reader to use; a PNG renamed .xlsx, an .xls, or a CSV that is
 * really a zip is refused with a reason naming what the file actually is.
 */
export async function checkFileKind(head: Buffer, fileName: string): Promise<'csv' | 'xlsx'> {
  const ext = path.extname(fileName).toLowerCase();
  if (head.length === 0) throw new ImportFailure('文件是空的 / the file is empty');
  if (ext === '.xlsx') {
    if (isZip(head)) return 'xlsx';
    throw new ImportFailure(`文件扩展名是 .xlsx，但内容是${await describe(head)}，不是 Excel 工作簿 / the file is named .xlsx but is not an Excel workbook`);
  }
  if (ext === '.csv') {
    const type = await fileTypeFromBuffer(head);
    if (!type && looksLikeText(head)) return 'csv';
    throw new ImportFailure(`文件扩展名是 .csv，但内容是${await describe(head)}，不是 CSV 文本 / the file is named .csv but is not CSV text`);
  }
  const hint = ext === '.xls' ? '请在 Excel 中“另存为” .xlsx 后再导入 / save it as .xlsx in Excel first' : '请使用导入模板 / please use the import template';
  throw new ImportFailure(`只能导入 .xlsx 或 .csv 文件，收到的是“${ext || '无扩展名'}”；${hint} / only .xlsx and .csv files can be imported (got ${ext || 'no extension'})`);
}

/** Open a stored file for reading rows (after `checkFileKind`). */
export async function openImportSource(files: TFileStore, sha256: string, kind: 'csv' | 'xlsx', limits: TReaderLimits): Promise<TImportSource> {
  if (kind === 'csv') {
    const totalRows = await countLines(files.get(sha256));
    return { kind, totalRows, rows: csvRows(files.get(sha256)), close: async () => {} };
  }
  // yauzl needs random access to read the central directory, so the xlsx is copied out of the
  // store (which may be object storage) into a private temporary directory first.
  const dir = await mkdtemp(path.join(os.tmpdir(), 'cunwu-import-'));
  const close = () => rm(dir, { recursive: true, force: true });
  try {
    const file = path.join(dir, 'upload.xlsx');
    await pipeline(files.get(sha256), createWriteStream(file, { mode: 0o600 }));
    const { totalRows } = await inspectXlsx(file, limits);
    return { kind, totalRows, rows: xlsxRows(file), close };
  } catch (error) {
    await close();
    throw error;
  }
}

// ---------------------------------------------------------------------------------------------
// CSV: encoding detection, then csv-parse on the decoded text, row by row.

/** Lines in a file (newline bytes, plus an unterminated last line): a quick first total. */
async function countLines(stream: Readable): Promise<number> {
  let lines = 0;
  let last = 10;
  for await (const chunk of stream as AsyncIterable<Buffer>) {
    for (let at = chunk.indexOf(10); at !== -1; at = chunk.indexOf(10, at + 1)) lines++;
    if (chunk.length) last = chunk[chunk.length - 1]!;
  }
  return lines + (last === 10 ? 0 : 1);
}

const NOT_TEXT = '文件编码无法识别：既不是 UTF-8 也不是 GBK/GB18030 / the file is neither UTF-8 nor GBK/GB18030 text';

/**
 * Bytes to text without buffering the file: a BOM decides (UTF-8, UTF-16); otherwise bytes pass as
 * ASCII until the first non-ASCII byte, and the next few KB decide between UTF-8 (valid as UTF-8)
 * and GB18030 (what Excel's "CSV" writes on a Chinese Windows; a superset of GBK). Everything before
 * that byte was ASCII, which both encodings share, so the choice is never retroactive.
 */
export class TextDecodeStream extends Transform {
  private mode: 'start' | 'ascii' | 'sniff' | 'utf8' | 'gb18030' | 'utf16' = 'start';
  private pending: Buffer[] = [];
  private pendingBytes = 0;
  private utf8: TextDecoder | null = null;
  private utf16: TextDecoder | null = null;
  private gb: ReturnType<typeof iconv.getDecoder> | null = null;
  /** The encoding chosen (for logs and tests). */
  encoding: 'ascii' | 'utf-8' | 'gb18030' | 'utf-16' = 'ascii';

  constructor() {
    super({ readableObjectMode: true });
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    try {
      this.decodeChunk(chunk, false);
      callback();
    } catch (error) {
      callback(error as Error);
    }
  }

  override _flush(callback: TransformCallback): void {
    try {
      this.decodeChunk(Buffer.alloc(0), true);
      if (this.utf8) this.emitText(this.utf8.decode());
      if (this.gb) this.emitText(this.gb.end() ?? '');
      if (this.utf16) this.emitText(this.utf16.decode());
      callback();
    } catch (error) {
      callback(error as Error);
    }
  }

  private emitText(text: string): void {
    if (text) this.push(text);
  }

  private decodeChunk(chunk: Buffer, isFinal: boolean): void {
    if (this.mode === 'start') {
      this.pending.push(chunk);
      this.pendingBytes += chunk.length;
      if (this.pendingBytes < 3 && !isFinal) return;
      const head = Buffer.concat(this.pending);
      this.pending = [];
      this.pendingBytes = 0;
      if (head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf) {
        this.useUtf8();
        chunk = head.subarray(3);
      } else if ((head[0] === 0xff && head[1] === 0xfe) || (head[0] === 0xfe && head[1] === 0xff)) {
        this.mode = 'utf16';
        this.encoding = 'utf-16';
        this.utf16 = new TextDecoder(head[0] === 0xff ? 'utf-16le' : 'utf-16be');
        chunk = head.subarray(2);
      } else {
        this.mode = 'ascii';
        chunk = head;
      }
    }
    if (this.mode === 'ascii') {
      let firstHigh = -1;
      for (let i = 0; i < chunk.length; i++) {
        if (chunk[i]! >= 0x80) {
          firstHigh = i;
          break;
        }
      }
      if (firstHigh === -1) {
        this.emitText(chunk.toString('latin1'));
        return;
      }
      this.emitText(chunk.subarray(0, firstHigh).toString('latin1'));
      chunk = chunk.subarray(firstHigh);
      this.mode = 'sniff';
    }
    if (this.mode === 'sniff') {
      this.pending.push(chunk);
      this.pendingBytes += chunk.length;
      if (this.pendingBytes < 4096 && !isFinal) return;
      const sample = Buffer.concat(this.pending);
      this.pending = [];
      let isUtf8 = true;
      try {
        new TextDecoder('utf-8', { fatal: true }).decode(sample, { stream: !isFinal });
      } catch {
        isUtf8 = false;
      }
      if (isUtf8) this.useUtf8();
      else {
        this.mode = 'gb18030';
        this.encoding = 'gb18030';
        this.gb = iconv.getDecoder('gb18030');
      }
      chunk = sample;
    }
    if (this.mode === 'utf8') {
      try {
        this.emitText(this.utf8!.decode(chunk, { stream: true }));
      } catch {
        throw new ImportFailure(NOT_TEXT);
      }
    } else if (this.mode === 'gb18030') {
      this.emitText(this.gb!.write(chunk));
    } else if (this.mode === 'utf16') {
      this.emitText(this.utf16!.decode(chunk, { stream: true }));
    }
  }

  private useUtf8(): void {
    this.mode = 'utf8';
    this.encoding = 'utf-8';
    this.utf8 = new TextDecoder('utf-8', { fatal: true });
  }
}

/** Stream CSV records with their line numbers; the delimiter is a comma, or a tab for Excel's "Unicode text". */
export async function* csvRows(input: Readable): AsyncGenerator<TRawRow> {
  const decoder = new TextDecodeStream();
  pipelineCallback(input, decoder, () => {}); // errors surface through the decoder below
  const decoded = decoder[Symbol.asyncIterator]() as AsyncIterator<string>;
  try {
    let head = '';
    while (!head.includes('\n')) {
      const next = await decoded.next();
      if (next.done) break;
      head += next.value;
    }
    const firstLine = head.split('\n', 1)[0] ?? '';
    const delimiter = firstLine.includes('\t') && !firstLine.includes(',') ? '\t' : ',';
    const parser = parseCsv({ delimiter, relax_column_count: true, relax_quotes: true, skip_empty_lines: true, info: true, max_record_size: 1 << 16 });
    const text = Readable.from((async function* () {
      yield head;
      for (;;) {
        const next = await decoded.next();
        if (next.done) return;
        yield next.value;
      }
    })(), { objectMode: true });
    pipelineCallback(text, parser, () => {});
    // Excel shows each record as one row (even with line breaks inside quotes) and each empty line
    // as an empty row, so that is the row number people look up.
    for await (const { record, info } of parser as AsyncIterable<{ record: string[]; info: { records: number; empty_lines: number } }>) {
      yield { rowNumber: info.records + info.empty_lines, cells: record };
    }
  } catch (error) {
    if ((error as CsvError).code?.startsWith?.('CSV_')) {
      const csvError = error as CsvError & { lines?: number };
      throw new ImportFailure(`CSV 格式错误（第 ${csvError.lines ?? '?'} 行附近）：${csvError.message} / malformed CSV near line ${csvError.lines ?? '?'}`);
    }
    throw error;
  } finally {
    input.destroy();
    decoder.destroy();
  }
}

// ---------------------------------------------------------------------------------------------
// XLSX: inspect the zip before any XML parser sees it, then stream rows with exceljs.

function failBroken(reason: string): ImportFailure {
  return new ImportFailure(`不是有效的 .xlsx 文件：${reason} / not a valid .xlsx file: ${reason}`);
}

function formatBytes(bytes: number): string {
  return bytes >= 1024 * 1024 ? `${(bytes / 1024 / 1024).toFixed(1)} MB` : `${bytes} B`;
}

/** Offset of the central directory, from the end-of-central-directory record (zip64 too). */
async function centralDirectoryOffset(file: string): Promise<number> {
  const handle = await open(file, 'r');
  try {
    const { size } = await handle.stat();
    const tailLength = Math.min(size, 22 + 65_535 + 20);
    const tail = Buffer.alloc(tailLength);
    await handle.read(tail, 0, tailLength, size - tailLength);
    for (let i = tailLength - 22; i >= 0; i--) {
      if (tail.readUInt32LE(i) !== 0x06054b50) continue;
      const offset = tail.readUInt32LE(i + 16);
      if (offset !== 0xffffffff) return offset;
      if (i < 20 || tail.readUInt32LE(i - 20) !== 0x07064b50) throw failBroken('zip64 locator missing');
      const zip64 = Buffer.alloc(56);
      await handle.read(zip64, 0, 56, Number(tail.readBigUInt64LE(i - 20 + 8)));
      if (zip64.readUInt32LE(0) !== 0x06064b50) throw failBroken('zip64 record missing');
      return Number(zip64.readBigUInt64LE(48));
    }
    throw failBroken('没有 zip 目录 no end of central directory');
  } finally {
    await handle.close();
  }
}

function openZip(file: string): Promise<yauzl.ZipFile> {
  return new Promise((resolve, reject) => {
    yauzl.open(file, { lazyEntries: true, autoClose: false, validateEntrySizes: true, strictFileNames: false }, (error, zip) => (error ? reject(error) : resolve(zip)));
  });
}

function readEntries(zip: yauzl.ZipFile): Promise<yauzl.Entry[]> {
  return new Promise((resolve, reject) => {
    const entries: yauzl.Entry[] = [];
    zip.on('entry', (entry: yauzl.Entry) => {
      entries.push(entry);
      if (entries.length > MAX_XLSX_ENTRIES) return reject(new ImportFailure(`工作簿包含过多部件（超过 ${MAX_XLSX_ENTRIES} 个）/ too many parts in the workbook`));
      zip.readEntry();
    });
    zip.on('end', () => resolve(entries));
    zip.on('error', reject);
    zip.readEntry();
  });
}

/** Inflate one entry, counting bytes (yauzl also refuses more bytes than declared); returns its first bytes. */
async function inflateEntry(zip: yauzl.ZipFile, entry: yauzl.Entry, limit: number, keepHead: number): Promise<Buffer> {
  const stream = await zip.openReadStreamPromise(entry);
  const head: Buffer[] = [];
  let kept = 0;
  let total = 0;
  for await (const chunk of stream as AsyncIterable<Buffer>) {
    total += chunk.length;
    if (total > limit) {
      stream.destroy();
      throw new ImportFailure(`工作簿中的 ${entry.fileName} 解压后超过 ${formatBytes(limit)}（疑似压缩炸弹）/ ${entry.fileName} inflates past ${formatBytes(limit)} (zip bomb?)`);
    }
    if (kept < keepHead) {
      head.push(chunk.subarray(0, keepHead - kept));
      kept += Math.min(chunk.length, keepHead - kept);
    }
  }
  return Buffer.concat(head);
}

/**
 * Refuse an .xlsx before parsing it when it is not a zip, not a workbook, or a zip bomb: any part
 * whose uncompressed size exceeds the limit, a large part with an absurd compression ratio, sizes
 * that lie (every part is inflated once here, and yauzl stops at the declared size), or data hidden
 * between parts where exceljs' sequential unzip would find entries the directory does not list.
 * Returns the row count from the first sheet's `<dimension>` when present.
 */
export async function inspectXlsx(file: string, limits: TReaderLimits): Promise<{ totalRows: number | null }> {
  const directoryAt = await centralDirectoryOffset(file);
  let zip: yauzl.ZipFile;
  let entries: yauzl.Entry[];
  try {
    zip = await openZip(file);
  } catch (error) {
    throw failBroken((error as Error).message);
  }
  try {
    try {
      entries = await readEntries(zip);
    } catch (error) {
      if (error instanceof ImportFailure) throw error;
      throw failBroken((error as Error).message);
    }
    const names = new Set<string>();
    let totalBytes = 0;
    for (const entry of entries) {
      if (names.has(entry.fileName)) throw failBroken(`部件重复 duplicate part ${entry.fileName}`);
      names.add(entry.fileName);
      if (entry.isEncrypted()) throw new ImportFailure('工作簿已加密，请取消密码后再导入 / the workbook is encrypted; remove the password first');
      if (entry.compressionMethod !== 0 && entry.compressionMethod !== 8) throw failBroken(`不支持的压缩方式 unsupported compression ${entry.compressionMethod}`);
      if (entry.uncompressedSize > limits.maxXlsxEntryBytes) {
        throw new ImportFailure(`工作簿中的 ${entry.fileName} 解压后有 ${formatBytes(entry.uncompressedSize)}，超过上限 ${formatBytes(limits.maxXlsxEntryBytes)}（疑似压缩炸弹）/ ${entry.fileName} would inflate to ${formatBytes(entry.uncompressedSize)}, over the ${formatBytes(limits.maxXlsxEntryBytes)} limit (zip bomb?)`);
      }
      const ratio = entry.uncompressedSize / Math.max(entry.compressedSize, 1);
      if (entry.uncompressedSize > RATIO_CHECK_ABOVE_BYTES && ratio > limits.maxXlsxRatio) {
        throw new ImportFailure(`工作簿中的 ${entry.fileName} 压缩比异常（${Math.round(ratio)}:1，疑似压缩炸弹）/ ${entry.fileName} has an absurd compression ratio (${Math.round(ratio)}:1, zip bomb?)`);
      }
      totalBytes += entry.uncompressedSize;
      if (totalBytes > 2 * limits.maxXlsxEntryBytes) throw new ImportFailure(`工作簿解压后过大 / the workbook inflates to more than ${formatBytes(2 * limits.maxXlsxEntryBytes)}`);
    }
    if (!names.has('xl/workbook.xml') || !names.has('[Content_Types].xml')) {
      throw new ImportFailure('这是 zip 文件，但不是 Excel 工作簿（缺少 xl/workbook.xml）/ this is a zip file but not an Excel workbook (no xl/workbook.xml)');
    }

    // Parts must follow each other with nothing in between (a data descriptor at most).
    const byOffset = [...entries].sort((a, b) => a.relativeOffsetOfLocalHeader - b.relativeOffsetOfLocalHeader);
    let expected = 0;
    let gapAllowed = 0;
    for (const entry of byOffset) {
      const gap = entry.relativeOffsetOfLocalHeader - expected;
      if (gap < 0 || gap > gapAllowed) throw failBroken(`部件之间有多余数据 unexpected data before ${entry.fileName}`);
      let local: yauzl.LocalFileHeader;
      try {
        local = await zip.readLocalFileHeaderPromise(entry);
      } catch (error) {
        throw failBroken((error as Error).message);
      }
      const hasDescriptor = (local.generalPurposeBitFlag & 0x8) !== 0;
      const localName = local.fileName.toString('utf8');
      const isZip64Sized = local.compressedSize === 0xffffffff || local.uncompressedSize === 0xffffffff;
      if (local.compressionMethod !== entry.compressionMethod || (/^[\x20-\x7e]+$/.test(localName) && localName !== entry.fileName)) {
        throw failBroken(`部件头与目录不一致 local header of ${entry.fileName} disagrees with the directory`);
      }
      if (!hasDescriptor && !isZip64Sized && (local.compressedSize !== entry.compressedSize || local.uncompressedSize !== entry.uncompressedSize)) {
        throw failBroken(`部件大小与目录不一致 sizes of ${entry.fileName} disagree with the directory`);
      }
      expected = local.fileDataStart + entry.compressedSize;
      gapAllowed = hasDescriptor ? 24 : 0;
    }
    const tailGap = directoryAt - expected;
    if (tailGap < 0 || tailGap > gapAllowed) throw failBroken('目录前有多余数据 unexpected data before the central directory');

    let totalRows: number | null = null;
    let isFirstSheet = true;
    for (const entry of byOffset) {
      const isSheet = /^xl\/worksheets\/sheet\d+\.xml$/.test(entry.fileName);
      let head: Buffer;
      try {
        head = await inflateEntry(zip, entry, Math.min(entry.uncompressedSize, limits.maxXlsxEntryBytes), isSheet && isFirstSheet ? 16_384 : 0);
      } catch (error) {
        if (error instanceof ImportFailure) throw error;
        if (/too many bytes/.test((error as Error).message)) {
          throw new ImportFailure(`工作簿中的 ${entry.fileName} 解压后比声明的大小更大（疑似压缩炸弹）/ ${entry.fileName} inflates past its declared size (zip bomb?)`);
        }
        throw failBroken(`${entry.fileName}: ${(error as Error).message}`);
      }
      if (isSheet && isFirstSheet) {
        isFirstSheet = false;
        const dimension = /<dimension\s+ref="[A-Z]+\d+(?::[A-Z]+(\d+))?"/.exec(head.toString('utf8'));
        totalRows = dimension?.[1] ? Number(dimension[1]) : null;
      }
    }
    return { totalRows };
  } finally {
    zip.close();
  }
}

type TExcelValue = ExcelJS.CellValue | undefined;

/** An exceljs value as a cell: cached formula results are used, never evaluated. */
export function excelCell(value: TExcelValue): TCell {
  if (value === null || value === undefined) return null;
  if (typeof value === 'string') return value;
  if (typeof value === 'number') return Number.isNaN(value) ? { problem: CELL_PROBLEMS.unsupported } : value;
  if (typeof value === 'boolean') return value ? 'TRUE' : 'FALSE';
  if (value instanceof Date) return value.toISOString().slice(0, 10);
  if ('formula' in value || 'sharedFormula' in value) {
    const result = (value as { result?: unknown }).result;
    if (result === undefined || result === null) return { problem: CELL_PROBLEMS.formulaWithoutValue };
    if (typeof result === 'number' && Number.isNaN(result)) return { problem: CELL_PROBLEMS.formulaError('#VALUE!') };
    if (typeof result === 'object' && result && 'error' in result) return { problem: CELL_PROBLEMS.formulaError(String((result as { error: string }).error)) };
    return excelCell(result as TExcelValue);
  }
  if ('richText' in value) return value.richText.map((run) => run.text ?? '').join('');
  if ('error' in value) return { problem: CELL_PROBLEMS.errorValue(String(value.error)) };
  if ('text' in value && typeof value.text === 'string') return value.text;
  return { problem: CELL_PROBLEMS.unsupported };
}

/** Stream the first worksheet's rows (Excel row numbers kept; other sheets are skipped unparsed). */
export async function* xlsxRows(file: string): AsyncGenerator<TRawRow> {
  const input = createReadStream(file);
  const reader = new ExcelJS.stream.xlsx.WorkbookReader(input, { sharedStrings: 'cache', hyperlinks: 'ignore', styles: 'ignore', worksheets: 'emit', entries: 'ignore' });
  let isFirst = true;
  try {
    for await (const sheet of reader) {
      if (!isFirst) continue;
      isFirst = false;
      for await (const row of sheet) {
        const values = row.values as TExcelValue[];
        const cells: TCell[] = [];
        for (let i = 1; i < values.length; i++) cells.push(excelCell(values[i]));
        yield { rowNumber: row.number, cells };
      }
    }
  } catch (error) {
    if (error instanceof ImportFailure) throw error;
    throw failBroken((error as Error).message);
  } finally {
    input.destroy();
  }
}
