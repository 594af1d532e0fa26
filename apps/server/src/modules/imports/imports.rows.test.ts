import { Readable } from 'node:stream';
import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import { idNumberCheckChar, idNumberProblem } from '@cunwu/contract';
import { matchHeader, missingColumns, recoverDigits, SeenKeys, validateRow, type TCell } from './imports.rows';
import { csvRows, excelCell, TextDecodeStream } from './imports.sources';

const HEADER = ['村代码', '户号', '户主姓名', '姓名', '与户主关系', '手机号', '身份证号', '监督群'];
const columns = matchHeader(HEADER)!;
const row = (cells: TCell[], rowNumber = 2) => validateRow({ rowNumber, cells }, columns);
const GOOD: TCell[] = ['350524107201', '0001', '陈志明', '林秀英', '配偶', '13912345678', '350524199001010024', '溪美村监督群'];

async function decode(bytes: Buffer, chunkSize = 7): Promise<{ text: string; encoding: string }> {
  const decoder = new TextDecodeStream();
  const chunks: Buffer[] = [];
  for (let i = 0; i < bytes.length; i += chunkSize) chunks.push(bytes.subarray(i, i + chunkSize));
  let text = '';
  for await (const part of Readable.from(chunks).pipe(decoder)) text += part as string;
  return { text, encoding: decoder.encoding };
}

describe('header matching', () => {
  it('matches Chinese or English names in any order, ignores extra columns, and keeps the file spelling', () => {
    const map = matchHeader(['备注', 'Name', 'villageCode', '户 号', 'HEAD_NAME', '身份证号码', 'phone*'])!;
    expect(map).toMatchObject({ villageCode: { index: 2 }, householdNo: { index: 3, header: '户 号' }, headName: { index: 4 }, name: { index: 1, header: 'Name' }, idNumber: { index: 5 }, phone: { index: 6 } });
    expect(missingColumns(map)).toEqual([]);
  });

  it('is not fooled by a title row and reports missing required columns', () => {
    expect(matchHeader(['广桥村户籍登记表', null, null])).toBeNull();
    const map = matchHeader(['村代码', '姓名', '手机号'])!;
    expect(missingColumns(map).map((c) => c.zh)).toEqual(['户号', '户主姓名']);
  });
});

describe('numbers Excel mangled', () => {
  it('recovers digits only when none were lost', () => {
    expect(recoverDigits('1.3859001306E+10')).toBe('13859001306');
    expect(recoverDigits('13859001306.0')).toBe('13859001306');
    expect(recoverDigits('1.3859E+10')).toEqual({ problem: expect.stringContaining('科学计数法') });
    expect(recoverDigits('3.50524E+17')).toEqual({ problem: expect.stringContaining('lost digits') });
  });

  it('turns numeric cells back into digits for codes and phones, and refuses an ID stored as a number', () => {
    const result = row([350524107201, 1, '陈志明', '林秀英', null, 13912345678, 350524199001010020, null]);
    expect(result).toEqual({ errors: [{ row: 2, column: '身份证号', reason: expect.stringContaining('文本') }], villageCode: '350524107201' });
    expect(row([350524107201, 1, '陈志明', '林秀英', null, 13912345678, null, null])).toMatchObject({ row: { villageCode: '350524107201', householdNo: '1', phone: '13912345678' } });
  });

  it('reads full-width digits, a leading apostrophe and a dashed phone', () => {
    expect(row(['３５０５２４１０７２０１', "'0001", '陈志明', '林秀英', '', '139-1234-5678', '35052419900101002４', ''])).toMatchObject({
      row: { villageCode: '350524107201', householdNo: '0001', phone: '13912345678', idNumber: '350524199001010024', relation: null, groupName: null },
    });
  });
});

describe('row validation', () => {
  it('accepts a good row', () => {
    expect(row(GOOD)).toEqual({ row: { rowNumber: 2, villageCode: '350524107201', householdNo: '0001', headName: '陈志明', name: '林秀英', relation: '配偶', phone: '13912345678', idNumber: '350524199001010024', groupName: '溪美村监督群' } });
  });

  it('reports every bad field with its column and a bilingual reason', () => {
    const result = row(['35052410720', '1/2', '', '林秀英', null, '12345', '350524199001010025', null], 7);
    expect(result).toEqual({
      errors: [
        { row: 7, column: '村代码', reason: '村代码须为12位数字 / village code must be 12 digits' },
        { row: 7, column: '户号', reason: expect.stringContaining('户号只能含数字') },
        { row: 7, column: '户主姓名', reason: '必填 / required' },
        { row: 7, column: '手机号', reason: expect.stringContaining('手机号须为11位') },
        { row: 7, column: '身份证号', reason: '身份证号校验位不正确 / the ID number check digit is wrong' },
      ],
      villageCode: null,
    });
  });

  it('reports formula cells without a cached value and error values', () => {
    const formula = excelCell({ formula: 'A1&B1' } as never);
    const cached = excelCell({ formula: 'A1&B1', result: '林秀英' } as never);
    expect(cached).toBe('林秀英');
    expect(row(['350524107201', '0001', '陈志明', formula, null, null, null, excelCell({ error: '#N/A' } as never)])).toEqual({
      errors: [
        { row: 2, column: '姓名', reason: '公式单元格没有计算结果 / formula without a cached value' },
        { row: 2, column: '监督群', reason: expect.stringContaining('#N/A') },
      ],
      villageCode: '350524107201',
    });
  });
});

describe('ID numbers (GB 11643)', () => {
  it('checks the check character and the birth date', () => {
    expect(idNumberCheckChar('35052419900101002')).toBe('4');
    expect(idNumberProblem('350524199001010024')).toBeNull();
    expect(idNumberProblem('350524199001010025')).toContain('校验位');
    expect(idNumberProblem('350524199002300024')).toContain('出生日期');
    expect(idNumberProblem('11010519491231002X')).toBeNull();
  });
});

describe('text decoding', () => {
  const text = '村代码,户号,户主姓名,姓名\r\n350524107201,1,陈志明,林秀英\r\n';

  it('detects UTF-8 with and without BOM, GBK as Excel writes it, and UTF-16 with BOM', async () => {
    expect(await decode(Buffer.from(text))).toEqual({ text, encoding: 'utf-8' });
    expect(await decode(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text)]))).toEqual({ text, encoding: 'utf-8' });
    expect(await decode(iconv.encode(text, 'gbk'))).toEqual({ text, encoding: 'gb18030' });
    expect(await decode(Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]))).toEqual({ text, encoding: 'utf-16' });
  });

  it('keeps an ASCII prefix of any length and decides at the first non-ASCII byte', async () => {
    const long = 'villageCode,householdNo,headName,name\n' + '350524107201,1,a,b\n'.repeat(5000) + '350524107201,2,陈志明,林秀英\n';
    expect(await decode(iconv.encode(long, 'gb18030'), 4096)).toEqual({ text: long, encoding: 'gb18030' });
  });

  it('numbers CSV rows as Excel shows them', async () => {
    const csv = '村代码,户号\n\n350524107201,"1\n2"\n350524107201,3\n';
    const rows = [];
    for await (const r of csvRows(Readable.from([Buffer.from(csv)]))) rows.push(r);
    expect(rows.map((r) => r.rowNumber)).toEqual([1, 3, 4]);
  });
});

describe('seen keys', () => {
  it('remembers keys with their first row and tag across growth', () => {
    const seen = new SeenKeys();
    let hits = 0;
    for (let i = 0; i < 200_000; i++) if (seen.seen(`key-${i}`, i + 2, i % 7)) hits++;
    expect(hits).toBe(0);
    expect(seen.seen('key-12345', 999, 0)).toEqual({ row: 12347, tag: 12345 % 7 });
    expect(seen.seen('key-199999', 999, 0)).toEqual({ row: 200001, tag: 199999 % 7 });
    expect(seen.seen('another', 5, 1)).toBeNull();
  });
});
