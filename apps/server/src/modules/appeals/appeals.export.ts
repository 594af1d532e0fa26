import ExcelJS from 'exceljs';
import type { TAppealStats } from '@cunwu/contract';

const COUNT_COLUMNS: [keyof TAppealStats['totals'], string][] = [
  ['received', '受理量（收到）'], ['accepted', '已受理'], ['resolved', '已办结'], ['resolvedWithinDays', '期限内办结'], ['closed', '已关闭'], ['rejected', '不予受理'],
  ['overdue', '超期'], ['urges', '催办'], ['escalatedTown', '上报乡镇'], ['escalatedCounty', '上报县级'], ['escalatedCity', '上报市级'], ['diverted', '转职能部门'],
  ['reopened', '重新办理'], ['satisfied', '满意'], ['basically', '基本满意'], ['unsatisfied', '不满意'],
];

function addCountSheet(workbook: ExcelJS.Workbook, title: string, keyHeader: string, rows: ({ key: string } & Record<string, unknown>)[]): void {
  const sheet = workbook.addWorksheet(title, { views: [{ state: 'frozen', ySplit: 1 }] });
  sheet.columns = [{ header: keyHeader, key: 'key', width: 18 }, ...COUNT_COLUMNS.map(([key, header]) => ({ header, key, width: 12 })), { header: '期限内办结率', key: 'rate', width: 14 }];
  for (const row of rows) {
    const resolved = Number(row.resolved ?? 0);
    sheet.addRow({ ...row, rate: resolved ? Number(row.resolvedWithinDays ?? 0) / resolved : null });
  }
  sheet.getColumn('rate').numFmt = '0.0%';
  sheet.getRow(1).font = { bold: true };
}

/** The statistics as an Excel workbook: totals, by category, by month, by region, by department. */
export async function statsWorkbook(stats: TAppealStats, regionName: string): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  workbook.creator = '村务监督平台';
  workbook.created = new Date();
  addCountSheet(workbook, '总体', '范围', [{ key: `${regionName} ${stats.from} 至 ${stats.to}`, ...stats.totals }]);
  addCountSheet(workbook, '按分类', '分类', stats.byCategory.map((r) => ({ ...r, key: r.name })));
  addCountSheet(workbook, '按月份', '月份', stats.byMonth.map((r) => ({ ...r, key: r.month })));
  addCountSheet(workbook, '按地区', '地区', stats.byRegion.map((r) => ({ ...r, key: r.name })));
  const departments = workbook.addWorksheet('按职能部门');
  departments.columns = [{ header: '职能部门', key: 'name', width: 28 }, { header: '转办量', key: 'diverted', width: 12 }];
  for (const row of stats.byDepartment) departments.addRow(row);
  departments.getRow(1).font = { bold: true };
  return Buffer.from(await workbook.xlsx.writeBuffer());
}
