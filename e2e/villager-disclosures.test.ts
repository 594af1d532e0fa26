import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { apiLogin, launchBrowser, loginVillagerInApp, snap } from './browser';

// 村务公开 on a villager's phone: a disclosure the village cadre published and then corrected is in the
// village's list with 已更正, its page shows ✓ 已核验 worked out on the phone against the signed ledger,
// and the correction's changes against version 1.
let browser: Browser;
beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(() => browser?.close());

/** 广桥村 (罗溪镇, 洛江区), whose cadre publishes. */
const VILLAGE = '350504005201';
/**
 * A villager registered by this journey: one code per phone per minute is the rule, and 陈美玲
 * (villager journey) and 夏丽华 and her neighbour (scenario 1) are taken.
 */
const PHONE = '13859001377';

/** One JSON call with an official's bearer token; throws with the answer on a non-2xx. */
async function api<T>(token: string, method: 'GET' | 'POST', path: string, body?: unknown): Promise<T> {
  const response = await fetch(`${inject('baseUrl')}/api/v1${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${await response.text()}`);
  return (await response.json()) as T;
}

describe('村务公开 on a 360-px phone', () => {
  it('a villager finds a corrected disclosure, sees it verified on the phone, and reads what the correction changed', async () => {
    const base = inject('baseUrl');
    const cadre = await apiLogin(base, 'guangqiao_cadre');

    // A new villager of 广桥村, with her own phone.
    const household = await api<{ id: string }>(cadre, 'POST', '/households', { villageCode: VILLAGE, householdNo: 'E2E-GK-01', headName: '郭秀英' });
    await api(cadre, 'POST', '/members', { householdId: household.id, name: '郭秀英', relation: '户主', phone: PHONE });

    // The cadre publishes a meeting resolution (an event item, dated today in China) and corrects it.
    const today = new Date().toLocaleDateString('sv-SE', { timeZone: 'Asia/Shanghai' });
    const title = '广桥村村民代表会议决议公开（E2E）';
    const body = '村民代表会议审议通过以下事项：\n一、村道硬化工程预算48.6万元；\n二、村部会议室改为老年活动室。\n表决结果：同意29票，反对1票。';
    const created = await api<{ id: string }>(cadre, 'POST', '/disclosures', { villageCode: VILLAGE, itemCode: 'V01', period: today, eventRef: `E2E-${Date.now()}`, title, body });
    await api(cadre, 'POST', `/disclosures/${created.id}/submit`);
    await api(cadre, 'POST', `/disclosures/${created.id}/publish`);
    const corrected = await api<{ currentVersion: number }>(cadre, 'POST', `/disclosures/${created.id}/correct`, {
      reason: '工程预算数字录入有误，应为46.8万元',
      body: body.replace('48.6万元', '46.8万元'),
    });
    expect(corrected.currentVersion).toBe(2);
    // Both versions under a signed checkpoint now, rather than after the next scheduled signing.
    await api(await apiLogin(base, 'admin'), 'POST', '/ledger/checkpoints');

    const phone = await browser.newContext({ viewport: { width: 360, height: 740 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true, locale: 'zh-CN' });
    const page = await phone.newPage();
    await loginVillagerInApp(page, base, inject('serverLog'), PHONE);

    // The list: reached from the 公开 tab, newest first, marked 已更正.
    await page.locator('.van-tabbar-item', { hasText: '公开' }).click();
    await page.waitForURL(/\/disclosures$/);
    const item = page.locator('.disclosure-item', { hasText: title });
    await item.waitFor({ timeout: 10_000 });
    expect(await item.innerText()).toContain('已更正');
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);
    await snap(page, 'villager-disclosures-list-360');

    // The page: verified on the phone against the ledger, with the correction's reason.
    await item.click();
    await page.waitForURL(new RegExp(`/disclosures/${created.id}$`));
    const mark = page.locator('.proof__mark');
    await expect.poll(() => mark.innerText(), { timeout: 15_000 }).toContain('已核验');
    expect(await mark.getAttribute('class')).toContain('is-good');
    expect(await page.locator('.disclosure-detail__versions').innerText()).toContain('工程预算数字录入有误');
    await mark.click();
    await expect.poll(() => page.locator('.proof__explain').innerText()).toContain('透明账本第');
    await snap(page, 'villager-disclosure-verified-360');

    // What the correction changed: the old line struck through, the new one added.
    const diff = page.locator('.diff');
    expect(await diff.locator('.diff__title').innerText()).toContain('与第1版相比');
    expect(await diff.locator('del.diff__line').innerText()).toContain('48.6万元');
    expect(await diff.locator('ins.diff__line').innerText()).toContain('46.8万元');
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);
    await diff.scrollIntoViewIfNeeded();
    await snap(page, 'villager-disclosure-diff-360');
    await phone.close();
  });
});
