import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { launchBrowser, snap } from './browser';

let browser: Browser;
beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(() => browser?.close());

describe('official at a desk', () => {
  it('the city discipline officer logs in, sees the home overview and opens the region tree down to 广桥村', async () => {
    const context = await browser.newContext({ viewport: { width: 1366, height: 768 }, locale: 'zh-CN' });
    const page = await context.newPage();
    await page.goto(`${inject('baseUrl')}/console/`);
    await page.waitForURL(/\/console\/login/);
    await page.locator('input[autocomplete="username"]').waitFor();
    await snap(page, 'console-login-1366');
    await page.fill('input[autocomplete="username"]', 'quanzhou_jw');
    await page.fill('input[autocomplete="current-password"]', 'Demo@2026');
    await page.click('button.login-submit');
    await page.waitForURL((url) => !url.pathname.includes('/login'));
    await expect.poll(() => page.locator('body').innerText(), { timeout: 15_000 }).toContain('泉州市');
    await page.locator('canvas').first().waitFor({ timeout: 15_000 });
    await page.waitForTimeout(600); // let tag and chart entry animations finish before the screenshot
    await snap(page, 'console-home-1366');

    await page.goto(`${inject('baseUrl')}/console/regions`);
    const tree = page.locator('.region-tree');
    // A click on a node selects it; its arrow expands it (children load lazily: wait for them, and
    // click again if an entry animation swallowed the first click).
    const expand = async (name: string, child: string) => {
      const arrow = tree.locator('.el-tree-node__content', { has: page.getByText(name, { exact: true }) }).locator('.el-tree-node__expand-icon');
      for (let attempt = 0; attempt < 3; attempt++) {
        await arrow.click();
        if (await tree.getByText(child, { exact: true }).waitFor({ timeout: 8_000 }).then(() => true, () => false)) return;
      }
      throw new Error(`${name} did not show ${child}`);
    };
    await expand('泉州市', '洛江区');
    await expand('洛江区', '罗溪镇');
    await expand('罗溪镇', '广桥村');
    await tree.getByText('广桥村', { exact: true }).click();
    await expect.poll(() => page.locator('.detail-column').innerText(), { timeout: 10_000 }).toContain('广桥村');
    const detail = await page.locator('.detail-column').innerText();
    expect(detail).toContain('罗溪镇');
    await snap(page, 'console-regions-1366');
    await context.close();
  });

  it('a wrong password is refused with a readable message, and the admin page is for admins only', async () => {
    const context = await browser.newContext({ viewport: { width: 1366, height: 768 }, locale: 'zh-CN' });
    const page = await context.newPage();
    await page.goto(`${inject('baseUrl')}/console/login`);
    await page.fill('input[autocomplete="username"]', 'luoxi_town');
    await page.fill('input[autocomplete="current-password"]', 'wrong-password');
    await page.click('button.login-submit');
    await expect.poll(() => page.locator('body').innerText(), { timeout: 10_000 }).toContain('账号或密码错误');
    await page.fill('input[autocomplete="current-password"]', 'Demo@2026');
    await page.click('button.login-submit');
    await page.waitForURL((url) => !url.pathname.includes('/login'));
    await expect.poll(() => page.locator('body').innerText(), { timeout: 15_000 }).toContain('罗溪镇');
    expect(await page.locator('body').innerText()).not.toContain('用户管理');
    await context.close();
  });

  it('the admin sees the users page on a 360-px phone', async () => {
    const context = await browser.newContext({ viewport: { width: 360, height: 740 }, deviceScaleFactor: 2, locale: 'zh-CN' });
    const page = await context.newPage();
    await page.goto(`${inject('baseUrl')}/console/login`);
    await page.fill('input[autocomplete="username"]', 'admin');
    await page.fill('input[autocomplete="current-password"]', 'Demo@2026');
    await page.click('button.login-submit');
    await page.waitForURL((url) => !url.pathname.includes('/login'));
    await page.goto(`${inject('baseUrl')}/console/admin/users`);
    // Hundreds of village cadres in the demo: the admin searches for the one he wants.
    await page.locator('.filter-q input').fill('guangqiao');
    await page.locator('.filter-q input').press('Enter');
    await expect.poll(() => page.locator('body').innerText(), { timeout: 15_000 }).toContain('guangqiao_cadre');
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);
    await snap(page, 'console-users-360');
    await context.close();
  });
});
