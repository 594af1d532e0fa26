import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { apiLogin, launchBrowser, loginOfficialInConsole, loginVillagerInApp, snap } from './browser';

// DESIGN §13 scenario 1: 夏女士 of 广桥村 reports that bus 306 has not run for a year; the village cannot
// act, the town escalates to the district, the district diverts to the transport bureau, the bus runs
// again and she rates it satisfied — every step on the timeline.
let browser: Browser;
beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(() => browser?.close());

describe('scenario 1: bus 306', () => {
  it('夏丽华 files it on her phone, it travels village → town → district → transport bureau, and she rates the result', async () => {
    const base = inject('baseUrl');
    const phone = await browser.newContext({ viewport: { width: 360, height: 740 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true, locale: 'zh-CN' });
    const page = await phone.newPage();
    await loginVillagerInApp(page, base, inject('serverLog'), '13859001306');
    await page.goto(`${base}/appeals/new`);
    await page.locator('.category-grid__tile', { hasText: '交通出行' }).click();
    await page.locator('.appeal-form__textarea textarea').fill('306路公交车停运一年了，老人去镇上看病很不方便，希望恢复运行。');
    await snap(page, 'scenario1-01-villager-form');
    await page.locator('form.appeal-form__form button[type="submit"]').click();
    await page.waitForURL(/\/appeals\/[0-9a-f-]{36}\/submitted/);
    const id = /\/appeals\/([0-9a-f-]{36})\//.exec(page.url())![1]!;
    await expect.poll(() => page.locator('.appeal-done__number-box').innerText(), { timeout: 10_000 }).toMatch(/\d{12}-\d{8}-\d{4}/);
    await snap(page, 'scenario1-02-villager-tracking-number');

    // The officials work it in the console, each at his own desk.
    const desk = async (login: string, button: string, texts: Record<string, string>, shot: string, department?: string) => {
      const context = await browser.newContext({ viewport: { width: 1366, height: 768 }, locale: 'zh-CN' });
      const console = await context.newPage();
      await loginOfficialInConsole(console, base, login);
      await console.goto(`${base}/console/appeals?id=${id}`);
      const drawer = console.locator('.appeal-drawer');
      await drawer.locator('.actions button', { hasText: new RegExp(`^\\s*${button}\\s*$`) }).click();
      const dialog = console.locator('.el-dialog').filter({ has: console.locator('.el-dialog__footer') }).last();
      await dialog.waitFor();
      if (department) {
        const select = dialog.locator('.el-form-item', { hasText: '承办部门' }).locator('.el-select');
        await select.click();
        await console.locator('.el-select-dropdown__item:visible', { hasText: department }).first().click();
      }
      for (const [label, value] of Object.entries(texts)) await dialog.locator('.el-form-item', { hasText: label }).locator('textarea').fill(value);
      await console.waitForTimeout(400); // let the dialog's entry animation finish before the screenshot
      await snap(console, `scenario1-${shot}`);
      await dialog.locator('.el-dialog__footer .el-button--primary, .el-dialog__footer .el-button--danger').last().click();
      await expect.poll(() => dialog.isVisible(), { timeout: 10_000 }).toBe(false);
      await context.close();
    };
    await desk('guangqiao_cadre', '受理', { 受理答复: '已受理，村里无权调整公交线路，将上报' }, '03-cadre-accepts');
    await desk('guangqiao_cadre', '上报', { 上报理由: '公交线路调整不属于村级职权，需镇里协调' }, '04-cadre-escalates');
    await desk('luoxi_town', '上报', { 上报理由: '线路由区交通部门统一调整' }, '05-town-escalates');
    await desk('luojiang_gov', '转办', { 转办理由: '公交线路属交通运输局职责' }, '06-district-diverts', '洛江区交通运输局');
    await desk('luojiang_transport', '办结', { 办理结果: '306路已恢复运行，每日往返6班' }, '07-bureau-resolves');
    const token = await apiLogin(base, 'luojiang_gov');

    await page.goto(`${base}/appeals/${id}`);
    await expect.poll(() => page.locator('body').innerText(), { timeout: 10_000 }).toContain('306路已恢复运行');
    const timeline = await page.locator('body').innerText();
    for (const unit of ['罗溪镇', '洛江区', '洛江区交通运输局']) expect(timeline).toContain(unit);
    await snap(page, 'scenario1-08-villager-timeline');
    await page.locator('.rating__choice.is-satisfied').click();
    await page.locator('.rating__send').click();
    await expect.poll(() => page.locator('body').innerText(), { timeout: 10_000 }).toContain('已关闭');
    await snap(page, 'scenario1-09-villager-rated');
    await phone.close();

    // A neighbour in 广桥村 reads the public appeal (her name masked) and follows it.
    const grid = await apiLogin(base, 'guangqiao_grid');
    const village = '350504005201';
    const households = (await (await fetch(`${base}/api/v1/households?region=${village}&limit=20`, { headers: { authorization: `Bearer ${grid}` } })).json()) as { items: { members: { id: string; name: string; phoneMasked: string | null }[] }[] };
    const neighbourMember = households.items.flatMap((h) => h.members).find((m) => m.phoneMasked && m.name !== '夏丽华')!;
    const revealed = (await (await fetch(`${base}/api/v1/members/${neighbourMember.id}/reveal-phone`, { method: 'POST', headers: { authorization: `Bearer ${grid}` } })).json()) as { phone: string };
    const neighbourPhone = await browser.newContext({ viewport: { width: 360, height: 740 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true, locale: 'zh-CN' });
    const neighbour = await neighbourPhone.newPage();
    await loginVillagerInApp(neighbour, base, inject('serverLog'), revealed.phone);
    await neighbour.goto(`${base}/appeals/${id}`);
    await expect.poll(() => neighbour.locator('body').innerText(), { timeout: 10_000 }).toContain('306路已恢复运行');
    expect(await neighbour.locator('body').innerText()).not.toContain('夏丽华');
    await neighbour.locator('.appeal-detail__follow').click();
    await expect.poll(() => neighbour.locator('.appeal-detail__follow').innerText(), { timeout: 10_000 }).toContain('已关注');
    await snap(neighbour, 'scenario1-10-neighbour-follows');
    await neighbourPhone.close();

    // On the record: the public timeline and the city statistics count it as closed within 5 working days.
    const appeal = (await (await fetch(`${base}/api/v1/appeals/${id}`, { headers: { authorization: `Bearer ${token}` } })).json()) as { timeline: { type: string; ledgerIndex: number | null }[]; rating: string };
    expect(appeal.timeline.map((e) => e.type)).toEqual(['submitted', 'accepted', 'escalated', 'escalated', 'diverted', 'resolved', 'rated', 'closed']);
    expect(appeal.timeline.every((e) => e.ledgerIndex !== null)).toBe(true);
    expect(appeal.rating).toBe('satisfied');
    const stats = (await (await fetch(`${base}/api/v1/appeals/stats?region=350504000000`, { headers: { authorization: `Bearer ${token}` } })).json()) as { totals: { resolvedWithinDays: number; satisfied: number } };
    expect(stats.totals.resolvedWithinDays).toBeGreaterThanOrEqual(1);
    expect(stats.totals.satisfied).toBeGreaterThanOrEqual(1);
  });
});
