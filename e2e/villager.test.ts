import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { launchBrowser, readOtpFromLog, snap } from './browser';

let browser: Browser;
beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(() => browser?.close());

describe('villager on a 360-px phone', () => {
  // 陈美玲 of 蓉溪村 (梅山镇): 夏丽华 is busy in scenario 1, and one code per phone per minute is the rule.
  it('陈美玲 logs in with a one-time code and sees her village, in normal and elder mode', async () => {
    const context = await browser.newContext({ viewport: { width: 360, height: 740 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true, locale: 'zh-CN' });
    const page = await context.newPage();
    await page.goto(`${inject('baseUrl')}/`);
    await page.waitForURL(/\/login/);
    await page.locator('input[name="phone"]').waitFor();
    await snap(page, 'villager-login-360');

    await page.fill('input[name="phone"]', '13859002001');
    await page.click('button.login__send');
    await expect.poll(() => page.locator('.login__notice').textContent(), { timeout: 10_000 }).toContain('138****2001');
    const code = await readOtpFromLog(inject('serverLog'), '13859002001');
    await page.fill('input[name="code"]', code);
    await page.locator('form.login__form button[type="submit"]').click();

    await page.waitForURL((url) => !url.pathname.startsWith('/login'));
    await expect.poll(() => page.locator('body').innerText(), { timeout: 10_000 }).toContain('蓉溪村');
    const text = await page.locator('body').innerText();
    expect(text).toContain('陈美玲');
    expect(text).toContain('梅山镇');
    // Nothing may overflow the phone's width.
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);
    await snap(page, 'villager-home-360');

    await page.evaluate(() => localStorage.setItem('villager.elderMode', '1'));
    await page.goto(`${inject('baseUrl')}/me`);
    await expect.poll(() => page.locator('body').innerText()).toContain('陈');
    expect(await page.evaluate(() => document.documentElement.classList.contains('elder'))).toBe(true);
    const fontSize = await page.evaluate(() => parseFloat(getComputedStyle(document.body).fontSize));
    expect(fontSize).toBeGreaterThanOrEqual(18);
    await snap(page, 'villager-me-elder-360');
    await context.close();
  });

  it('an unregistered phone gets a clear message and no code', async () => {
    const context = await browser.newContext({ viewport: { width: 360, height: 740 }, locale: 'zh-CN' });
    const page = await context.newPage();
    await page.goto(`${inject('baseUrl')}/login`);
    await page.fill('input[name="phone"]', '13000000000');
    await page.click('button.login__send');
    await expect.poll(() => page.locator('body').innerText(), { timeout: 10_000 }).toContain('还没有登记为村民');
    await context.close();
  });
});
