import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Browser } from 'playwright-core';
import type { TComplianceReport, TDisclosureCatalog, TUpdateCatalogItemRequest } from '@cunwu/contract';
import { apiLogin, launchBrowser, loginOfficialInConsole, snap } from './browser';

/** 1,420 as the console writes counts. */
const count = (n: number) => n.toLocaleString('en-US');

let browser: Browser;
beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(() => browser?.close());

describe('disclosures in the console', () => {
  it('the city discipline officer opens 公开全覆盖: the cards carry the report\'s numbers, the chart is drawn, a child region drills down', async () => {
    const base = inject('baseUrl');
    const token = await apiLogin(base, 'quanzhou_jw');
    const report = (await (await fetch(`${base}/api/v1/compliance?region=350500000000`, { headers: { authorization: `Bearer ${token}` } })).json()) as TComplianceReport;

    const context = await browser.newContext({ viewport: { width: 1366, height: 900 }, locale: 'zh-CN' });
    const page = await context.newPage();
    await loginOfficialInConsole(page, base, 'quanzhou_jw');
    await page.goto(`${base}/console/compliance`);
    const cards = page.locator('.compliance-card');
    await expect.poll(() => cards.count(), { timeout: 15_000 }).toBe(5);
    await page.locator('.compliance-chart canvas').first().waitFor({ timeout: 15_000 });
    expect(await page.locator('.compliance-page h2').innerText()).toContain('泉州市');
    // Same default window as the server: last month.
    const values = await page.locator('.compliance-card .value').allInnerTexts();
    expect(values.slice(1)).toEqual([report.totals.onTime, report.totals.late, report.totals.missing, report.totals.pending].map(count));
    expect(await page.locator('.compliance-card .sub').first().innerText()).toContain(count(report.totals.due));
    const rows = page.locator('.child-table .el-table__body-wrapper tr.el-table__row');
    expect(await rows.count()).toBe(report.byChild.length);
    await page.waitForTimeout(400); // chart entry animation
    await snap(page, 'console-compliance-1366');

    // A click on a child region's row drills down into it.
    const child = report.byChild[0]!;
    await rows.filter({ hasText: child.name }).first().click();
    await page.waitForURL((url) => url.searchParams.get('region') === child.code);
    await expect.poll(() => page.locator('.compliance-page h2').innerText(), { timeout: 10_000 }).toContain(child.name);
    await context.close();
  });

  it('the admin changes a catalogue item\'s due days and sees the ledger snapshot it went into', async () => {
    const base = inject('baseUrl');
    const token = await apiLogin(base, 'admin');
    const read = async () => (await (await fetch(`${base}/api/v1/disclosure-catalog`)).json()) as TDisclosureCatalog;
    const before = (await read()).items.find((i) => i.code === 'P07')!;
    const dueDays = before.dueDays === 366 ? 365 : before.dueDays + 1;

    const context = await browser.newContext({ viewport: { width: 1366, height: 900 }, locale: 'zh-CN' });
    const page = await context.newPage();
    try {
      await loginOfficialInConsole(page, base, 'admin');
      await page.goto(`${base}/console/disclosure-catalog`);
      const row = page.locator('.catalog-table tr.el-table__row', { hasText: 'P07' });
      await row.locator('.edit-item').click();
      const dialog = page.locator('.el-dialog', { hasText: '修改公开事项' });
      await dialog.locator('input[name="dueDays"]').fill(String(dueDays));
      await dialog.locator('button.save-item').click();
      await expect.poll(() => page.locator('.saved-alert').innerText(), { timeout: 10_000 }).toMatch(/已保存 P07，目录快照写入账本第 [\d,]+ 条/);
      const after = await read();
      expect(after.items.find((i) => i.code === 'P07')!.dueDays).toBe(dueDays);
      expect(await page.locator('.saved-alert').innerText()).toContain(`账本第 ${(after.ledgerIndex! + 1).toLocaleString('en-US')} 条`);
      expect(await row.locator('.due-days').innerText()).toBe(String(dueDays));
      await snap(page, 'console-disclosure-catalog-1366');
    } finally {
      await context.close();
      // Other journeys share this server: put the catalogue back as it was.
      const body: TUpdateCatalogItemRequest = { dueDays: before.dueDays };
      await fetch(`${base}/api/v1/disclosure-catalog/P07`, { method: 'PATCH', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });
    }
  });
});
