import ExcelJS from 'exceljs';
import { HOUSEHOLD_IMPORT_COLUMNS, HOUSEHOLD_IMPORT_EXAMPLE, IMPORT_LIMITS } from '@cunwu/contract';

/** A downloadable file. */
export interface TDownload {
  body: Buffer;
  contentType: string;
  fileName: string;
}

const HEADER = HOUSEHOLD_IMPORT_COLUMNS.map((c) => c.zh);
const EXAMPLE = HOUSEHOLD_IMPORT_COLUMNS.map((c) => HOUSEHOLD_IMPORT_EXAMPLE[c.en]);
// Columns Excel would turn into numbers (and round an 18-digit ID): formatted as text in the template.
const TEXT_COLUMNS = new Set(['villageCode', 'householdNo', 'phone', 'idNumber']);

const NOTES = [
  '填写说明 / How to fill in',
  '1. 每行一名村民；同一户的成员填写相同的村代码、户号和户主姓名。 One member per row; members of a household share village code, household number and head name.',
  `2. 必填列：${HOUSEHOLD_IMPORT_COLUMNS.filter((c) => c.isRequired).map((c) => c.zh).join('、')}；其余可留空，留空不会清除已登记的信息。 Empty optional cells never erase registered data.`,
  '3. 村代码为12位统计用区划代码；身份证号18位；手机号11位。请保持这些列为“文本”格式，否则 Excel 会把长数字改写成科学计数法。 Keep code, phone and ID columns as text.',
  '4. 监督群不存在时会在该村自动创建（微信群）。 A supervision group that does not exist yet is created in the village.',
  '5. 重复导入同一文件不会产生重复数据。 Importing the same file again changes nothing.',
  `6. 文件不超过 ${IMPORT_LIMITS.maxFileBytes / 1024 / 1024} MB；只读取第一个工作表，列的顺序不限，也可用英文列名（${HOUSEHOLD_IMPORT_COLUMNS.map((c) => c.en).join(', ')}）。`,
];

/** The import template as .xlsx: header, one example row, text-formatted number columns, and notes. */
export async function householdTemplateXlsx(): Promise<TDownload> {
  const workbook = new ExcelJS.Workbook();
  workbook.creator = '村务监督平台';
  const sheet = workbook.addWorksheet('户籍导入', { views: [{ state: 'frozen', ySplit: 1 }] });
  sheet.columns = HOUSEHOLD_IMPORT_COLUMNS.map((c) => ({
    key: c.en,
    width: c.en === 'idNumber' ? 22 : c.en === 'villageCode' || c.en === 'groupName' ? 16 : 12,
    style: TEXT_COLUMNS.has(c.en) ? { numFmt: '@' } : {},
  }));
  const header = sheet.addRow(HEADER);
  header.font = { bold: true };
  header.eachCell((cell, col) => {
    cell.fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: HOUSEHOLD_IMPORT_COLUMNS[col - 1]!.isRequired ? 'FFFDE2E2' : 'FFEFF3F8' } };
  });
  sheet.addRow(EXAMPLE);
  const notes = workbook.addWorksheet('填写说明');
  notes.getColumn(1).width = 120;
  for (const line of NOTES) notes.addRow([line]);
  notes.getRow(1).font = { bold: true };
  return { body: Buffer.from(await workbook.xlsx.writeBuffer()), contentType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', fileName: '户籍导入模板.xlsx' };
}

function csvField(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

/** The import template as CSV: UTF-8 with a BOM (so Excel reads the Chinese), CRLF lines. */
export function householdTemplateCsv(): TDownload {
  const text = [HEADER, EXAMPLE].map((row) => row.map(csvField).join(',')).join('\r\n') + '\r\n';
  return { body: Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text, 'utf8')]), contentType: 'text/csv; charset=utf-8', fileName: '户籍导入模板.csv' };
}
