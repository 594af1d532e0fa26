import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Browser, BrowserContext, Locator, Page } from 'playwright-core';
import type { TInvoice, TInvoiceMismatch } from '@cunwu/contract';
import { renderInvoiceImage } from '../apps/server/src/modules/demo/demo.invoice-image';
import { SCREENSHOT_DIR, apiLogin, launchBrowser, loginOfficialInConsole, loginVillagerInApp, snap } from './browser';

// DESIGN §13 scenario 2: 蓉溪村's bookkeeper (梅山镇, 南安市) enters April's income and expenditure with
// photos of the invoices, whose QR codes fill and cross-check the fields; the resident cadre of 梅山镇
// reviews each invoice and approves with his unit's seal; the village cadre publishes the month's
// accounts (F01), a notice goes to the village's group, and a villager checks it all on his phone.

/** 蓉溪村 (梅山镇, 南安市). */
const VILLAGE = '350583016201';
/**
 * The villager this journey registers: one code per phone per minute is the rule, and 陈美玲
 * (13859002001), 夏丽华 (13859001306) and 郭秀英 (13859001377) belong to other journeys.
 */
const PHONE = '13859002024';

/** The demo published the three months before this one but left April: this year's, or last year's until May (China time). */
const [thisYear, thisMonth] = new Date().toLocaleDateString('sv-SE', { timeZone: 'Asia/Shanghai' }).split('-').map(Number) as [number, number];
const YEAR = thisMonth > 4 ? thisYear : thisYear - 1;
const APRIL = `${YEAR}-04`;
const VOUCHER = (n: number) => `记-${YEAR}04-${String(n).padStart(3, '0')}`;

interface TInvoicePlan {
  file: string;
  number: string;
  amountFen: number;
  sellerName: string;
  sellerTaxId: string;
  item: string;
}
interface TLinePlan {
  direction: '收入' | '支出';
  day: string;
  amount: string;
  subject: string;
  counterparty: string;
  payment: string;
  voucher: string;
  summary: string;
  invoice?: TInvoicePlan;
}

const INCOME: TLinePlan = {
  direction: '收入', day: '05', amount: '30000.00', subject: '补助收入', counterparty: '南安市梅山镇人民政府', payment: '银行转账', voucher: VOUCHER(1),
  summary: '村级组织运转经费（上级转移支付）',
};
const OFFICE: TLinePlan = {
  direction: '支出', day: '09', amount: '1280.50', subject: '管理费用', counterparty: '南安市梅山镇兴旺办公用品店', payment: '微信', voucher: VOUCHER(2),
  summary: '村部办公用品、打印耗材',
  invoice: { file: '办公用品发票.jpg', number: `${String(YEAR).slice(2)}040917`, amountFen: 128_050, sellerName: '南安市梅山镇兴旺办公用品店', sellerTaxId: '92350583MA2Y8K3L6X', item: '*办公用品*打印纸、墨盒、文件夹' },
};
const ROAD: TLinePlan = {
  direction: '支出', day: '16', amount: '18600.00', subject: '公益事业支出', counterparty: '南安市鑫源建筑工程有限公司', payment: '银行转账', voucher: VOUCHER(3),
  summary: '村道坑洼修补（三期）',
  invoice: { file: '村道修补发票.jpg', number: `${String(YEAR).slice(2)}041623`, amountFen: 1_860_000, sellerName: '南安市鑫源建筑工程有限公司', sellerTaxId: '91350583MA34R7PX2N', item: '*建筑服务*村道坑洼修补' },
};
/** Comes in through the sheet import; its invoice is attached afterwards with 编辑. */
const PHONE_BILL = {
  day: '18', amount: '420.00', subject: '管理费用', counterparty: '中国电信股份有限公司南安分公司', payment: '银行转账', voucher: VOUCHER(4), summary: '村部宽带及电话费',
  invoice: { file: '电信发票.jpg', number: `${String(YEAR).slice(2)}041805`, amountFen: 42_000, sellerName: '中国电信股份有限公司南安分公司', sellerTaxId: '91350583705255473J', item: '*电信服务*宽带及通话费' },
};
const EXPENSES = [OFFICE, ROAD, PHONE_BILL];
const TITLE = `蓉溪村${YEAR}年4月财务收支明细公开`;
const BODY = `蓉溪村${YEAR}年4月村级财务收支明细及原始票据。\n本月收到上级转移支付30,000.00元；支出3笔共20,300.50元，均附原始票据，并经驻村干部逐笔联审。\n如有疑问，请在监督群留言或向村务监督委员会反映。`;

let browser: Browser;
let tempDir: string;
/** Set by the bookkeeper's step, used by the later ones. */
let disclosureId = '';

beforeAll(async () => {
  tempDir = mkdtempSync(path.join(os.tmpdir(), 'cunwu-scenario2-'));
  // Phone photos of the paper invoices, with the real QR payload printed on them.
  const [images] = await Promise.all([
    Promise.all(
      EXPENSES.map(({ day, invoice }) =>
        renderInvoiceImage({
          kind: '10', code: '035002300111', number: invoice!.number, date: `${APRIL}-${day}`, amountFen: invoice!.amountFen, taxFen: 0,
          sellerName: invoice!.sellerName, sellerTaxId: invoice!.sellerTaxId, buyerName: '蓉溪村村民委员会', items: [{ name: invoice!.item, amountFen: invoice!.amountFen }],
          format: 'jpeg', photo: true,
        }),
      ),
    ),
    launchBrowser().then((b) => (browser = b)),
  ]);
  EXPENSES.forEach(({ invoice }, i) => writeFileSync(path.join(tempDir, invoice!.file), images[i]!));
});
afterAll(async () => {
  await browser?.close();
  if (tempDir) rmSync(tempDir, { recursive: true, force: true });
});

/** A console desk at 1366 × 900, logged in. */
async function desk(login: string): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({ viewport: { width: 1366, height: 900 }, locale: 'zh-CN' });
  const page = await context.newPage();
  await loginOfficialInConsole(page, inject('baseUrl'), login);
  return { context, page };
}

/** The form items under `scope` whose text starts with `label` (a regular expression source: '销售方\\s*$' is that label alone). */
function field(scope: Locator, label: string, items = '.el-form-item'): Locator {
  return scope.locator(items).filter({ hasText: new RegExp(`^\\s*${label}`) });
}

/** Pick an option of an Element Plus select (the dropdown is teleported to the body). */
async function choose(page: Page, select: Locator, option: string | RegExp): Promise<void> {
  await select.click();
  await page.locator('.el-select-dropdown__item:visible').filter({ hasText: typeof option === 'string' ? new RegExp(`^\\s*${option}\\s*$`) : option }).click();
}

/** Answer an ElMessageBox with its primary button and wait until it is gone. */
async function confirmBox(page: Page, expected: string): Promise<void> {
  const box = page.locator('.el-message-box');
  await box.waitFor();
  expect(await box.innerText()).toContain(expected);
  await box.locator('.el-message-box__btns .el-button--primary').click();
  await box.waitFor({ state: 'hidden' });
}

/** Save what the screen shows (an overlay such as the image preview, which a full-page shot would tear apart). */
async function snapScreen(page: Page, name: string): Promise<void> {
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  await page.screenshot({ path: path.join(SCREENSHOT_DIR, `${name}.png`) });
}

/** Wait until the console's toasts have faded, so they cover nothing in a screenshot. */
async function toastsGone(page: Page): Promise<void> {
  await expect.poll(() => page.locator('.el-message').count(), { timeout: 10_000 }).toBe(0);
}

/** Every image in `images` has loaded (lazy ones are scrolled to first). */
async function imagesLoaded(images: Locator): Promise<void> {
  for (const image of await images.all()) await image.scrollIntoViewIfNeeded();
  await expect.poll(() => images.evaluateAll((all) => all.length > 0 && all.every((i) => (i as HTMLImageElement).complete && (i as HTMLImageElement).naturalWidth > 0)), { timeout: 10_000 }).toBe(true);
}

/** Upload an invoice photo in the line dialog through its file input: the QR must be read and fill the fields. */
async function uploadInvoice(page: Page, dialog: Locator, invoice: TInvoicePlan): Promise<Locator> {
  const before = await dialog.locator('.invoice-editor').count();
  const uploaded = page.waitForResponse((r) => r.url().endsWith('/api/v1/invoices') && r.request().method() === 'POST');
  await dialog.locator('.invoice-uploader input[type="file"]').setInputFiles(path.join(tempDir, invoice.file));
  expect((await uploaded).status()).toBe(200);
  const editor = dialog.locator('.invoice-editor').nth(before);
  await editor.locator('.qr-fields').waitFor({ timeout: 10_000 });
  expect(await editor.locator('.qr-title').innerText()).toBe('识别成功');
  const qr = await editor.locator('.qr-fields').innerText();
  expect(qr).toContain(invoice.number);
  expect(qr).toContain(formatYuan(invoice.amountFen));
  // The fields are filled from the QR code: number and amount as printed.
  expect(await field(editor, '发票号码').locator('input').inputValue()).toBe(invoice.number);
  expect(await field(editor, '金额（元）').locator('input').inputValue()).toBe(plainYuan(invoice.amountFen));
  await field(editor, '销售方税号').locator('input').fill(invoice.sellerTaxId);
  await field(editor, '销售方\\s*$').locator('input').fill(invoice.sellerName);
  return editor;
}

/** 确认 an invoice's fields against the paper; resolves with the stored invoice's QR mismatches. */
async function confirmInvoice(page: Page, editor: Locator): Promise<TInvoiceMismatch[]> {
  const saved = page.waitForResponse((r) => /\/api\/v1\/invoices\/[0-9a-f-]{36}$/.test(r.url()) && r.request().method() === 'PATCH');
  await editor.locator('.actions .el-button--primary').click();
  const response = await saved;
  expect(response.status()).toBe(200);
  await editor.locator('.picture .el-tag', { hasText: '已确认' }).waitFor();
  return ((await response.json()) as TInvoice).mismatches;
}

/** Save the line dialog and wait for the ledger to list the line. */
async function saveLine(page: Page, dialog: Locator, voucher: string): Promise<void> {
  const saved = page.waitForResponse((r) => /\/api\/v1\/ledger-lines(\/[0-9a-f-]{36})?$/.test(r.url()) && ['POST', 'PATCH'].includes(r.request().method()));
  await dialog.locator('.el-dialog__footer .el-button--primary').click();
  expect((await saved).status()).toBe(200);
  await dialog.waitFor({ state: 'hidden' });
  await ledgerRow(page, voucher).waitFor({ timeout: 10_000 });
}

function ledgerRow(page: Page, voucher: string): Locator {
  return page.locator('.ledger-table .el-table__body-wrapper tr.el-table__row', { hasText: voucher });
}

/** Fill 记一笔's own fields (not the invoices'). */
async function fillLine(page: Page, dialog: Locator, line: TLinePlan): Promise<void> {
  const item = (label: string) => field(dialog, label, '.line-form > .el-form-item');
  await item('收支').locator('.el-radio-button', { hasText: line.direction }).click();
  const date = item('日期').locator('input');
  await date.fill(`${APRIL}-${line.day}`);
  await date.press('Enter');
  await item('金额（元）').locator('input').fill(line.amount);
  await choose(page, item('会计科目').locator('.el-select'), line.subject);
  await item('对方单位或个人').locator('input.el-input__inner').fill(line.counterparty);
  if (line.payment !== '银行转账') await choose(page, item('支付方式').locator('.el-select'), line.payment);
  await item('凭证号').locator('input').fill(line.voucher);
  await item('摘要').locator('input').fill(line.summary);
  expect(await date.inputValue()).toBe(`${APRIL}-${line.day}`);
}

/** ¥1,280.50, as the console writes money. */
function formatYuan(fen: number): string {
  return `¥${(fen / 100).toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`;
}
/** 1280.50 (what an amount input holds). */
function plainYuan(fen: number): string {
  return (fen / 100).toFixed(2);
}

/** One JSON call with an official's bearer token; throws with the answer on a non-2xx. */
async function api<T>(token: string, method: 'GET' | 'POST', apiPath: string, body?: unknown): Promise<T> {
  const response = await fetch(`${inject('baseUrl')}/api/v1${apiPath}`, {
    method,
    headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (!response.ok) throw new Error(`${method} ${apiPath}: ${response.status} ${await response.text()}`);
  return (await response.json()) as T;
}

describe(`scenario 2: 蓉溪村's accounts for ${APRIL}`, () => {
  it('the bookkeeper enters April with invoice photos read by their QR codes, imports one more line, and submits the F01 disclosure', async () => {
    const base = inject('baseUrl');
    const { context, page } = await desk('rongxi_bookkeeper');
    await page.goto(`${base}/console/finance/ledger?month=${APRIL}`);
    await page.locator('.table-card .table-title', { hasText: `蓉溪村 ${YEAR}年4月收支明细` }).waitFor({ timeout: 10_000 });
    await page.locator('.ledger-table .el-table__empty-text', { hasText: '本月还没有记账' }).waitFor();

    const dialog = page.locator('.ledger-line-dialog');
    const openAdd = async () => {
      await page.locator('.filter-actions .el-button--primary', { hasText: '记一笔' }).click();
      await dialog.waitFor();
    };

    // The grant from the town: income, no invoice, no review.
    await openAdd();
    await fillLine(page, dialog, INCOME);
    await saveLine(page, dialog, INCOME.voucher);

    // Office supplies: the photo's QR code fills number, date and amount; he checks and confirms.
    await openAdd();
    await fillLine(page, dialog, OFFICE);
    const office = await uploadInvoice(page, dialog, OFFICE.invoice!);
    expect(await office.locator('.actions').innerText()).toContain('与二维码一致');
    await page.waitForTimeout(300); // the dialog's entry animation, for the screenshot
    await snap(page, 'scenario2-01-bookkeeper-invoice-qr-read');
    expect(await confirmInvoice(page, office)).toEqual([]);
    expect(await dialog.locator('.invoices-label .sums').innerText()).toContain(formatYuan(OFFICE.invoice!.amountFen));
    await saveLine(page, dialog, OFFICE.voucher);

    // Road repairs: he types the invoice amount as on his voucher stub, 16,800.00; the QR says 18,600.00.
    await openAdd();
    await fillLine(page, dialog, ROAD);
    const road = await uploadInvoice(page, dialog, ROAD.invoice!);
    const amount = field(road, '金额（元）').locator('input');
    await amount.fill('16800.00');
    await expect.poll(() => field(road, '金额（元）').locator('.mismatch').innerText()).toBe('与二维码不一致：二维码为 ¥18,600.00');
    expect(await road.getAttribute('class')).toContain('has-mismatch');
    // Confirmed anyway, the server keeps the flag and the form says so above the buttons.
    expect(await confirmInvoice(page, road)).toEqual([{ field: 'amountFen', qr: 1_860_000, typed: 1_680_000 }]);
    await dialog.locator('.warnings .el-alert', { hasText: '有 1 张票据的填写内容与二维码不一致' }).waitFor();
    await dialog.locator('.warnings .el-alert', { hasText: '本笔金额 ¥18,600.00 与票据金额合计 ¥16,800.00' }).waitFor();
    await dialog.locator('.warnings').scrollIntoViewIfNeeded();
    await snap(page, 'scenario2-02-bookkeeper-amount-mismatch');
    // He looks at the paper again: the QR is right. Corrected and confirmed again, every flag is gone.
    await amount.fill('18600.00');
    await expect.poll(() => road.locator('.actions').innerText()).toContain('与二维码一致');
    expect(await confirmInvoice(page, road)).toEqual([]);
    await dialog.locator('.warnings .el-alert', { hasText: '不一致' }).waitFor({ state: 'detached' });
    await saveLine(page, dialog, ROAD.voucher);

    // The phone bill comes in through the sheet import (no invoice yet) …
    const sheet = path.join(tempDir, '四月收支.csv');
    writeFileSync(sheet, `日期,收支,金额（元）,会计科目,对方单位或个人,对方类型,支付方式,凭证号,摘要\n${APRIL}-${PHONE_BILL.day},支出,${PHONE_BILL.amount},${PHONE_BILL.subject},${PHONE_BILL.counterparty},单位,${PHONE_BILL.payment},${PHONE_BILL.voucher},${PHONE_BILL.summary}\n`);
    await page.locator('.filter-actions .el-button', { hasText: '导入' }).click();
    const importDialog = page.locator('.ledger-import-dialog');
    await importDialog.locator('input[type="file"]').setInputFiles(sheet);
    await importDialog.locator('.result-ok', { hasText: '已导入 1 笔' }).waitFor({ timeout: 10_000 });
    await importDialog.locator('.el-dialog__headerbtn').click();
    await importDialog.waitFor({ state: 'hidden' });
    const billRow = ledgerRow(page, PHONE_BILL.voucher);
    await billRow.waitFor({ timeout: 10_000 });
    // … and gets its photo with 编辑.
    await billRow.locator('.el-button', { hasText: '编辑' }).click();
    await dialog.locator('.el-dialog__title', { hasText: '编辑收支' }).waitFor();
    const bill = await uploadInvoice(page, dialog, PHONE_BILL.invoice);
    expect(await confirmInvoice(page, bill)).toEqual([]);
    await saveLine(page, dialog, PHONE_BILL.voucher);

    // The month: 30,000.00 in, 20,300.50 out, three expenses waiting for the joint review, each with its photo.
    const cards = page.locator('.ledger-card .value');
    await expect.poll(() => cards.allInnerTexts(), { timeout: 10_000 }).toEqual(['¥30,000.00', '¥20,300.50', '¥9,699.50', '3', '0']);
    for (const line of EXPENSES) {
      const row = ledgerRow(page, line.voucher);
      expect(await row.innerText()).toContain('待联审');
      await imagesLoaded(row.locator('.invoice-thumbs img'));
    }
    expect(await ledgerRow(page, INCOME.voucher).innerText()).toContain('无需联审');
    await toastsGone(page);
    await snap(page, 'scenario2-03-bookkeeper-ledger-april');

    // 公开管理 → 新建公开: F01 for April; the server attaches the month's lines.
    await page.goto(`${base}/console/disclosures`);
    await page.locator('.create-button').click();
    const form = page.locator('.disclosure-form-dialog');
    await form.waitFor();
    await choose(page, field(form, '公开事项').locator('.el-select'), /^\s*F01\s*村级财务收支明细及原始票据/);
    const period = field(form, '公开期间').locator('input');
    await period.fill(`${YEAR}年4月`);
    await period.press('Enter');
    await field(form, '公开期间').locator('.help', { hasText: `${YEAR}年4月的公开应于` }).waitFor();
    await field(form, '标题').locator('input').fill(TITLE);
    await field(form, '公开内容').locator('textarea').fill(BODY);
    await form.locator('.el-dialog__footer .el-button--primary').click();
    await page.waitForURL(/\/console\/disclosures\/[0-9a-f-]{36}$/);
    disclosureId = /\/disclosures\/([0-9a-f-]{36})$/.exec(page.url())![1]!;
    const head = page.locator('.head-card');
    await expect.poll(() => head.locator('.tags').innerText(), { timeout: 10_000 }).toContain('草稿');
    await head.locator('.actions .el-button', { hasText: '提交' }).click();
    await confirmBox(page, '须经驻村干部联审通过后才能公开');
    await expect.poll(() => head.locator('.tags').innerText(), { timeout: 10_000 }).toContain('已提交');
    expect(await head.locator('.tags').innerText()).toContain('须驻村干部联审');
    expect(await page.locator('.block-card .content-title').first().innerText()).toBe(TITLE);
    await snap(page, 'scenario2-04-bookkeeper-disclosure-submitted');
    await context.close();
  });

  it('the resident cadre of 梅山镇 reviews each invoice, approves with his unit\'s seal, and approves the month', async () => {
    expect(disclosureId).not.toBe('');
    const base = inject('baseUrl');
    const { context, page } = await desk('meishan_resident');
    await page.goto(`${base}/console/finance/reviews?region=${VILLAGE}`);
    const card = (voucher: string) => page.locator('article.review-card', { hasText: voucher });
    for (const line of EXPENSES) {
      await card(line.voucher).waitFor({ timeout: 10_000 });
      const text = await card(line.voucher).innerText();
      expect(text).toContain(line.invoice!.number);
      expect(text).toContain('已识别二维码');
      expect(text).toContain('已确认');
      expect(text).not.toContain('不一致');
      await imagesLoaded(card(line.voucher).locator('.image-tile img'));
    }
    const queued = page.locator('.disclosures-card .disclosure', { hasText: TITLE });
    expect(await queued.innerText()).toContain('含 3 笔待审支出');
    await page.locator('.head-card').scrollIntoViewIfNeeded();
    await snap(page, 'scenario2-05-resident-review-queue');

    // One by one: look at the photo large, then 联审通过 in the name of 梅山镇人民政府.
    await card(OFFICE.voucher).locator('.image-tile').click();
    const viewer = page.locator('.el-image-viewer__wrapper');
    await imagesLoaded(viewer.locator('img.el-image-viewer__img'));
    await viewer.locator('.el-image-viewer__close').click();
    await viewer.waitFor({ state: 'detached' });
    for (const line of EXPENSES) {
      const article = card(line.voucher);
      await article.locator('.actions .el-button--primary', { hasText: '联审通过' }).click();
      await confirmBox(page, `以 梅山镇人民政府 名义联审通过这笔支出？蓉溪村 · ${line.subject} · ${formatYuan(line.invoice!.amountFen)}`);
      await expect.poll(() => article.getAttribute('class'), { timeout: 10_000 }).toContain('is-approved');
      expect(await article.locator('.approved-text').innerText()).toBe('梅山镇人民政府 联审通过');
      await imagesLoaded(article.locator('img.stamp'));
    }
    await toastsGone(page);
    await snap(page, 'scenario2-06-resident-approved-with-seal');

    // The month's disclosure: from the queue to its page, 联审 → 联审通过.
    await page.goto(`${base}/console/finance/reviews?region=${VILLAGE}`);
    const link = page.locator('.disclosures-card .disclosure', { hasText: TITLE });
    await link.waitFor({ timeout: 10_000 });
    expect(await link.innerText()).not.toContain('待审支出');
    await link.locator('.open-link').click();
    await page.waitForURL(new RegExp(`/console/disclosures/${disclosureId}$`));
    const head = page.locator('.head-card');
    await head.locator('.actions .el-button', { hasText: '联审' }).click();
    const review = page.locator('.el-dialog', { hasText: '审核意见' });
    await review.waitFor();
    await review.locator('textarea').fill('已逐笔核对票据影像与二维码，金额、日期一致。');
    await review.locator('.el-dialog__footer .el-button--primary', { hasText: '联审通过' }).click();
    await review.waitFor({ state: 'hidden' });
    await expect.poll(() => head.locator('.tags').innerText(), { timeout: 10_000 }).toContain('审核通过');
    const record = page.locator('.reviews .review.approve');
    expect(await record.innerText()).toContain('梅山镇人民政府');
    await imagesLoaded(record.locator('.stamp img'));
    expect(await page.locator('.ledger-link').innerText()).toBe('在收支明细中查看本月账目');
    await snap(page, 'scenario2-07-resident-disclosure-approved');
    await context.close();
  });

  it('the village cadre publishes it into the transparent ledger', async () => {
    expect(disclosureId).not.toBe('');
    const base = inject('baseUrl');
    const { context, page } = await desk('rongxi_cadre');
    await page.goto(`${base}/console/disclosures/${disclosureId}`);
    const head = page.locator('.head-card');
    await head.locator('.actions .el-button', { hasText: '公开' }).click();
    await confirmBox(page, '同时推送到本村监督群');
    await expect.poll(() => head.locator('.tags').innerText(), { timeout: 10_000 }).toContain('已公开');
    expect(await head.locator('.facts').innerText()).toMatch(/第 1 版\s*· 账本第 [\d,]+ 条/);
    expect(await page.locator('.versions .version').first().innerText()).toMatch(/账本第 [\d,]+ 条/);
    // The version carries the month's lines and totals.
    const lines = page.locator('.block-card', { hasText: '本期收支明细' });
    expect(await lines.innerText()).toContain('¥20,300.50');
    await snap(page, 'scenario2-08-cadre-published');
    await context.close();
    // Under a signed checkpoint now, rather than after the next scheduled signing, so the phone can verify it.
    await api(await apiLogin(base, 'admin'), 'POST', '/ledger/checkpoints');
  });

  it('a villager of 蓉溪村 reads April\'s accounts on a 360-px phone, opens an invoice, sees ✓ 已核验 and the notice in the group', async () => {
    expect(disclosureId).not.toBe('');
    const base = inject('baseUrl');
    // A new villager of 蓉溪村, in the village's supervision group, registered by the village cadre.
    const cadre = await apiLogin(base, 'rongxi_cadre');
    const groups = await api<{ id: string; name: string }[]>(cadre, 'GET', `/groups?region=${VILLAGE}`);
    expect(groups.length).toBeGreaterThan(0);
    const household = await api<{ id: string }>(cadre, 'POST', '/households', { villageCode: VILLAGE, householdNo: 'E2E-RX-24', headName: '蔡雅琴' });
    await api(cadre, 'POST', '/members', { householdId: household.id, name: '蔡雅琴', relation: '户主', phone: PHONE, groupIds: groups.map((g) => g.id) });

    const phone = await browser.newContext({ viewport: { width: 360, height: 740 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true, locale: 'zh-CN' });
    const page = await phone.newPage();
    await loginVillagerInApp(page, base, inject('serverLog'), PHONE);

    // 公开 → April's accounts.
    await page.locator('.van-tabbar-item', { hasText: '公开' }).click();
    await page.waitForURL(/\/disclosures$/);
    const item = page.locator('.disclosure-item', { hasText: TITLE });
    await item.waitFor({ timeout: 10_000 });
    expect(await item.innerText()).toContain(`${YEAR}年4月`);
    await item.click();
    await page.waitForURL(new RegExp(`/disclosures/${disclosureId}$`));
    const mark = page.locator('.proof__mark');
    await expect.poll(() => mark.innerText(), { timeout: 15_000 }).toContain('已核验');
    expect(await mark.getAttribute('class')).toContain('is-good');

    const summary = page.locator('.f01-summary');
    expect(await summary.locator('.f01-summary__row').allInnerTexts()).toEqual(['收入合计\n¥30,000.00', '支出合计\n¥20,300.50', '结余\n¥9,699.50']);
    expect(await summary.innerText()).toContain('梅山镇人民政府');
    await imagesLoaded(summary.locator('img.f01-summary__stamp'));
    const lines = page.locator('.f01-lines .f01-line');
    expect(await lines.count()).toBe(4);
    for (const line of [INCOME, ...EXPENSES]) {
      const text = await lines.filter({ hasText: line.voucher }).innerText();
      expect(text).toContain(line.subject);
      expect(text).toContain(line.counterparty);
    }
    for (const line of EXPENSES) {
      const row = lines.filter({ hasText: line.voucher });
      expect(await row.locator('.f01-line__review').innerText()).toContain('梅山镇人民政府');
      await imagesLoaded(row.locator('.f01-line__thumb img'));
    }
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);
    await page.evaluate(() => window.scrollTo(0, 0));
    await snap(page, 'scenario2-09-villager-accounts-360');

    // The road repair's invoice, full screen.
    const road = lines.filter({ hasText: ROAD.voucher });
    await road.scrollIntoViewIfNeeded();
    await road.locator('.f01-line__thumb').first().click();
    const preview = page.locator('.van-image-preview');
    await preview.waitFor();
    await imagesLoaded(preview.locator('.van-image__img').first());
    await page.waitForTimeout(300); // the preview's zoom-in animation
    await snapScreen(page, 'scenario2-10-villager-invoice-preview-360');
    await preview.locator('.van-image-preview__close-icon').click();
    await preview.waitFor({ state: 'hidden' });
    // Its bytes, hashed on the phone, are the ones the verified version names.
    await road.locator('.f01-line__verify').click();
    await road.locator('.f01-line__image-check.is-good', { hasText: '票据图片与公开记录一致' }).waitFor({ timeout: 10_000 });

    // What ✓ 已核验 means, checked on the phone itself.
    await mark.scrollIntoViewIfNeeded();
    await mark.click();
    const explain = page.locator('.proof__explain');
    await expect.poll(() => explain.innerText()).toContain('透明账本第');
    expect(await explain.innerText()).toContain('和收支明细');
    await page.evaluate(() => window.scrollTo(0, 0));
    await snapScreen(page, 'scenario2-11-villager-verified-explained-360');

    // The group's feed carries the 【公开】 notice with a link to the page.
    await page.locator('.van-tabbar-item', { hasText: '群动态' }).click();
    await page.waitForURL(/\/feed/);
    const notice = page.locator('.feed-notice', { hasText: `【公开】蓉溪村 · 村级财务收支明细及原始票据（${YEAR}年4月）` });
    await notice.waitFor({ timeout: 10_000 });
    expect(await notice.innerText()).toContain(TITLE);
    await notice.scrollIntoViewIfNeeded();
    await snap(page, 'scenario2-12-villager-group-notice-360');
    // 查看详情 leads back to the disclosure.
    await notice.locator('.feed-notice__link').click();
    await page.waitForURL(new RegExp(`/disclosures/${disclosureId}$`));
    await page.locator('.disclosure-detail__title', { hasText: TITLE }).waitFor();
    await phone.close();
  });
});
