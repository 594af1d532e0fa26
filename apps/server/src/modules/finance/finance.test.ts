import { randomBytes } from 'node:crypto';
import { readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { Readable } from 'node:stream';
import { crc32, deflateSync } from 'node:zlib';
import ExcelJS from 'exceljs';
import { sql } from 'kysely';
import QRCode from 'qrcode';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LEDGER_IMPORT_COLUMNS, type TDisclosure, type TF01Structured, type TInvoice, type TLedgerLine, type TLedgerMonth, type TReviewQueue, type TUploadInvoiceResponse } from '@cunwu/contract';
import type { TClock } from '../../kernel/clock';
import type { TActor } from '../../kernel/policy';
import { createTestContext, type TTestContext } from '../../../test/harness';
import { createOfficial, createWorld, loginAs, loginVillager } from '../../../test/factories';
import { renderInvoiceImage, type TDemoInvoice } from '../demo/demo.invoice-image';
import { uploadInvoice } from './finance.service';

type TAuth = { authorization: string };
let t: TTestContext;
let world: Awaited<ReturnType<typeof createWorld>>;
let bookkeeperA: TAuth;
let bookkeeperAId: string;
let cadreA: TAuth;
let residentA: TAuth;
let residentB: TAuth;
let dual: TAuth;
let bookkeeperB: TAuth;
let townOfficerA: TAuth;
let otherCounty: TAuth;
let villagerA: TAuth;
let villagerB: TAuth;
let townAName: string;
// A fixed China time that moves on by a millisecond per reading, so rows keep the order they were made in.
let ticks = 0;
const clock: TClock & { at: Date | null } = { at: null, now() { return this.at ? new Date(this.at.getTime() + ++ticks) : new Date(); } };
/** Set "now" to a China wall-clock time, e.g. '2025-05-08 10:00'. */
const at = (china: string) => { clock.at = new Date(`${china.replace(' ', 'T')}:00+08:00`); };

const call = (method: 'GET' | 'POST' | 'PATCH', url: string, auth: TAuth | null, payload?: unknown, headers: Record<string, string> = {}) =>
  t.app.inject({ method, url: `/api/v1${url}`, headers: { ...(auth ? { authorization: auth.authorization } : {}), ...headers }, ...(payload !== undefined ? { payload: payload as object } : {}) });

type TPart = { name: string; value: string } | { name: string; filename: string; content: Buffer };

/** A multipart body with the parts in the order given. */
function multipart(parts: TPart[]): { payload: Buffer; headers: Record<string, string> } {
  const boundary = `----cunwu${randomBytes(8).toString('hex')}`;
  const chunks: Buffer[] = [];
  for (const part of parts) {
    if ('value' in part) chunks.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${part.name}"\r\n\r\n${part.value}\r\n`));
    else chunks.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${part.name}"; filename="${part.filename}"\r\nContent-Type: application/octet-stream\r\n\r\n`), part.content, Buffer.from('\r\n'));
  }
  chunks.push(Buffer.from(`--${boundary}--\r\n`));
  return { payload: Buffer.concat(chunks), headers: { 'content-type': `multipart/form-data; boundary=${boundary}` } };
}

async function postFile(url: string, auth: TAuth | null, villageCode: string | null, fileName: string, content: Buffer) {
  const parts: TPart[] = [...(villageCode ? [{ name: 'villageCode', value: villageCode }] : []), { name: 'file', filename: fileName, content }];
  const body = multipart(parts);
  return t.app.inject({ method: 'POST', url: `/api/v1${url}`, headers: { ...(auth ? { authorization: auth.authorization } : {}), ...body.headers }, payload: body.payload });
}

async function upload(auth: TAuth, villageCode: string, fileName: string, content: Buffer): Promise<TUploadInvoiceResponse> {
  const response = await postFile('/invoices', auth, villageCode, fileName, content);
  expect(response.statusCode, response.body).toBe(200);
  return response.json<TUploadInvoiceResponse>();
}

/** Every blob in the file store (content-addressed: one file per SHA-256). */
function storedBlobs(): string[] {
  const root = path.join(t.services.config.dataDir, 'files');
  const out: string[] = [];
  const walk = (dir: string) => {
    let names: string[] = [];
    try {
      names = readdirSync(dir);
    } catch {
      return;
    }
    for (const name of names) {
      const full = path.join(dir, name);
      if (statSync(full).isDirectory()) {
        if (name !== 'tmp') walk(full);
      } else out.push(name);
    }
  };
  walk(root);
  return out.sort();
}

async function invoiceCount(): Promise<number> {
  return Number((await t.services.db.selectFrom('invoices').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
}

let invoiceNo = 10_000_000;
/** A rendered invoice with its own number (so no two tests share bytes). */
async function invoiceImage(amountFen: number, extra: Partial<TDemoInvoice> = {}): Promise<{ bytes: Buffer; number: string }> {
  const number = String(++invoiceNo);
  const bytes = await renderInvoiceImage({
    code: '035002400111', number, date: '2025-04-16', amountFen, taxFen: Math.round(amountFen * 0.03), sellerName: '南安市梅山镇鑫源建材商行', sellerTaxId: '92350583MA2Y8K7X4R',
    buyerName: '测试村民委员会', items: [{ name: '建筑材料*水泥', amountFen }], format: 'png', ...extra,
  });
  return { bytes, number };
}

/** A white page with a QR code of `text` in its top-left corner. */
async function qrPicture(text: string): Promise<Buffer> {
  const qr = await QRCode.toBuffer(text, { width: 360, margin: 4 });
  return sharp({ create: { width: 1200, height: 800, channels: 3, background: '#ffffff' } }).composite([{ input: qr, left: 40, top: 40 }]).png().toBuffer();
}

/** A PNG whose header claims 20000×20000 pixels, in a few hundred bytes (a decompression bomb). */
function pngBomb(): Buffer {
  const chunk = (type: string, data: Buffer) => {
    const length = Buffer.alloc(4);
    length.writeUInt32BE(data.length);
    const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(body));
    return Buffer.concat([length, body, crc]);
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(20_000, 0);
  ihdr.writeUInt32BE(20_000, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 0; // greyscale
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk('IHDR', ihdr), chunk('IDAT', deflateSync(Buffer.alloc(20_001 * 64))), chunk('IEND', Buffer.alloc(0))]);
}

type TLineInput = { direction: 'income' | 'expense'; date: string; amountFen: number; subject: string; counterparty: string; voucherNo: string; counterpartyKind?: 'person' | 'organisation'; invoiceIds?: string[] };

async function createLine(auth: TAuth, villageCode: string, line: TLineInput): Promise<TLedgerLine> {
  const response = await call('POST', '/ledger-lines', auth, { villageCode, paymentMethod: 'bank', ...line });
  expect(response.statusCode, response.body).toBe(200);
  return response.json<TLedgerLine>();
}

async function review(auth: TAuth, lineId: string, decision: 'approve' | 'reject', reason?: string) {
  return call('POST', `/reviews/${lineId}`, auth, { decision, ...(reason ? { reason } : {}) });
}

beforeAll(async () => {
  t = await createTestContext();
  t.services.clock = clock;
  world = await createWorld(t.services);
  const bk = await createOfficial(t.services, [{ role: 'bookkeeper', regionCode: world.villageA.code }], '陈报账');
  bookkeeperAId = bk.id;
  bookkeeperA = await loginAs(t.app, bk.login);
  cadreA = await loginAs(t.app, (await createOfficial(t.services, [{ role: 'village_cadre', regionCode: world.villageA.code }], '王村干')).login);
  residentA = await loginAs(t.app, (await createOfficial(t.services, [{ role: 'resident_cadre', regionCode: world.townA }], '许驻村')).login);
  residentB = await loginAs(t.app, (await createOfficial(t.services, [{ role: 'resident_cadre', regionCode: world.townB }], '林驻村')).login);
  dual = await loginAs(t.app, (await createOfficial(t.services, [{ role: 'bookkeeper', regionCode: world.villageA.code }, { role: 'resident_cadre', regionCode: world.townA }], '李兼职')).login);
  bookkeeperB = await loginAs(t.app, (await createOfficial(t.services, [{ role: 'bookkeeper', regionCode: world.villageB.code }])).login);
  townOfficerA = await loginAs(t.app, (await createOfficial(t.services, [{ role: 'town_officer', regionCode: world.townA }])).login);
  otherCounty = await loginAs(t.app, (await createOfficial(t.services, [{ role: 'county_officer', regionCode: world.otherCounty }])).login);
  villagerA = await loginVillager(t, world.villageA.phones[0]!);
  villagerB = await loginVillager(t, world.villageB.phones[0]!);
  townAName = (await t.services.db.selectFrom('regions').select('name').where('code', '=', world.townA).executeTakeFirstOrThrow()).name;
  at('2025-05-08 10:00');
});
afterAll(() => t.close());

describe('invoices (原始票据)', () => {
  let invoice: TUploadInvoiceResponse;
  let image: { bytes: Buffer; number: string };

  it('uploads an invoice: the QR code fills the fields; a typed amount that differs is flagged; confirmed against the paper', async () => {
    image = await invoiceImage(1_280_050);
    invoice = await upload(bookkeeperA, world.villageA.code, 'invoice.png', image.bytes);
    expect(invoice).toMatchObject({ qrStatus: 'decoded', qrMessage: null, qr: { code: '035002400111', number: image.number, date: '2025-04-16', amountFen: 1_280_050 } });
    expect(invoice.invoice).toMatchObject({
      id: invoice.id, villageCode: world.villageA.code, mimeType: 'image/png', sizeBytes: image.bytes.length, confirmed: false, lineId: null, mismatches: [], duplicates: [], uploaderName: '陈报账',
      fields: { code: '035002400111', number: image.number, date: '2025-04-16', amountFen: 1_280_050, taxFen: null, sellerName: null, sellerTaxId: null },
      imageUrl: `/api/v1/invoices/${invoice.id}/image`, thumbnailUrl: `/api/v1/invoices/${invoice.id}/thumbnail`,
    });
    expect(invoice.invoice.width).toBeGreaterThan(0);

    const typed = await call('PATCH', `/invoices/${invoice.id}`, bookkeeperA, { amountFen: 1_290_050, sellerName: '南安市梅山镇鑫源建材商行' });
    expect(typed.statusCode, typed.body).toBe(200);
    expect(typed.json<TInvoice>().mismatches).toEqual([{ field: 'amountFen', qr: 1_280_050, typed: 1_290_050 }]);
    const confirmed = (await call('PATCH', `/invoices/${invoice.id}`, bookkeeperA, { amountFen: 1_280_050, taxFen: 38_402, confirm: true })).json<TInvoice>();
    expect(confirmed).toMatchObject({ mismatches: [], confirmed: true, fields: { amountFen: 1_280_050, taxFen: 38_402, sellerName: '南安市梅山镇鑫源建材商行' } });
    expect((await call('PATCH', `/invoices/${invoice.id}`, bookkeeperA, { amountFen: -5 })).statusCode).toBe(400);

    const audit = await t.services.db.selectFrom('auditEvents').select('action').where('entityId', '=', invoice.id).execute();
    expect(audit.map((a) => a.action)).toEqual(expect.arrayContaining(['finance.invoice.upload', 'finance.invoice.update']));
  });

  it('serves the bytes and the thumbnail to officials in scope with an ETag, immutable caching and 304s', async () => {
    const got = await call('GET', `/invoices/${invoice.id}/image`, bookkeeperA);
    expect(got.statusCode).toBe(200);
    expect(got.headers['content-type']).toBe('image/png');
    expect(got.headers['cache-control']).toBe('private, max-age=31536000, immutable');
    expect(got.headers.etag).toBe(`"${invoice.invoice.sha256}"`);
    expect(got.rawPayload.equals(image.bytes)).toBe(true);
    expect((await call('GET', `/invoices/${invoice.id}/image`, townOfficerA, undefined, { 'if-none-match': `"${invoice.invoice.sha256}"` })).statusCode).toBe(304);
    const thumbnail = await call('GET', `/invoices/${invoice.id}/thumbnail`, residentA);
    expect(thumbnail.statusCode).toBe(200);
    expect(thumbnail.headers['content-type']).toBe('image/jpeg');
    expect((await sharp(thumbnail.rawPayload).metadata()).width).toBe(360);
    for (const who of [bookkeeperB, otherCounty, villagerA, villagerB, residentB]) {
      expect((await call('GET', `/invoices/${invoice.id}/image`, who)).statusCode, 'image').toBe(404);
      expect([403, 404], 'invoice').toContain((await call('GET', `/invoices/${invoice.id}`, who)).statusCode);
    }
    expect((await call('GET', `/invoices/${invoice.id}`, townOfficerA)).statusCode).toBe(200);
    expect((await call('GET', `/invoices/${invoice.id}/image`, null)).statusCode).toBe(401);
  });

  it('flags the same bytes backing a line elsewhere (another village too) as a duplicate; an upload dropped from a form is no claim', async () => {
    const again = await upload(bookkeeperB, world.villageB.code, 'same.png', image.bytes);
    // The first upload backs no line yet: nothing is claimed twice.
    expect(again.invoice.duplicates).toEqual([]);
    const claimed = await createLine(bookkeeperB, world.villageB.code, { direction: 'income', date: '2025-04-28', amountFen: 1_280_050, subject: '其他收入', counterparty: '南安市梅山镇鑫源建材商行', voucherNo: '记-2025-04-099', invoiceIds: [again.id] });
    expect(claimed.invoices[0]!.duplicates).toEqual([]);
    expect((await call('GET', `/invoices/${invoice.id}`, bookkeeperA)).json<TInvoice>().duplicates).toEqual([{ invoiceId: again.id, villageCode: world.villageB.code, villageName: expect.any(String) }]);
  });

  it('refuses a PNG named .pdf by its content (415) and keeps nothing', async () => {
    const { bytes } = await invoiceImage(10_000);
    const blobs = storedBlobs();
    const count = await invoiceCount();
    const response = await postFile('/invoices', bookkeeperA, world.villageA.code, 'invoice.pdf', bytes);
    expect(response.statusCode).toBe(415);
    expect(response.json()).toMatchObject({ code: 'UNSUPPORTED_MEDIA_TYPE', detail: expect.stringContaining('.pdf') });
    const text = await postFile('/invoices', bookkeeperA, world.villageA.code, 'invoice.txt', Buffer.from('just text, not an invoice'));
    expect(text.statusCode).toBe(415);
    expect(storedBlobs()).toEqual(blobs);
    expect(await invoiceCount()).toBe(count);
  });

  it('answers 413 for a 50 MB upload, whether declared or streamed, and keeps nothing', async () => {
    const blobs = storedBlobs();
    const count = await invoiceCount();
    const { bytes } = await invoiceImage(10_001);
    const huge = Buffer.concat([bytes, Buffer.alloc(50 * 1024 * 1024 - bytes.length, 0x20)]);
    const declared = await postFile('/invoices', bookkeeperA, world.villageA.code, 'huge.png', huge);
    expect(declared.statusCode).toBe(413);
    expect(declared.json()).toMatchObject({ code: 'PAYLOAD_TOO_LARGE' });
    // Streamed without a declared length: the reader's cap stops it.
    const actor: TActor = { userId: bookkeeperAId, kind: 'official', name: '陈报账', roles: [{ id: 'r', role: 'bookkeeper', regionCode: world.villageA.code }] };
    const chunks = (function* () {
      yield bytes;
      for (let i = 0; i < 50; i++) yield Buffer.alloc(1024 * 1024, 0x20);
    })();
    await expect(uploadInvoice(t.services, actor, { actorId: bookkeeperAId, requestId: 't', ip: null }, { villageCode: world.villageA.code, stream: Readable.from(chunks), fileName: 'huge.png', isTruncated: () => false }))
      .rejects.toMatchObject({ code: 'PAYLOAD_TOO_LARGE', status: 413 });
    expect(storedBlobs()).toEqual(blobs);
    expect(await invoiceCount()).toBe(count);
  });

  it('refuses a decompression bomb with a 4xx and keeps nothing', async () => {
    const blobs = storedBlobs();
    const count = await invoiceCount();
    const response = await postFile('/invoices', bookkeeperA, world.villageA.code, 'bomb.png', pngBomb());
    expect(response.statusCode).toBeGreaterThanOrEqual(400);
    expect(response.statusCode).toBeLessThan(500);
    expect(response.json().detail).toMatch(/20000×20000/);
    expect(storedBlobs()).toEqual(blobs);
    expect(await invoiceCount()).toBe(count);
  });

  it('keeps an image without a QR code (qr null, a message to type the fields) and one whose QR code is not an invoice\'s', async () => {
    const blank = await sharp({ create: { width: 900, height: 600, channels: 3, background: '#fdfdf8' } }).jpeg().toBuffer();
    const none = await upload(bookkeeperA, world.villageA.code, 'photo.jpg', blank);
    expect(none).toMatchObject({ qr: null, qrStatus: 'none', qrMessage: expect.stringContaining('二维码') });
    expect(none.invoice.fields).toEqual({ code: null, number: null, date: null, amountFen: null, taxFen: null, sellerName: null, sellerTaxId: null });
    const other = await upload(bookkeeperA, world.villageA.code, 'pay.png', await qrPicture('https://pay.example.com/p?id=42'));
    expect(other).toMatchObject({ qr: null, qrStatus: 'not_invoice', qrMessage: expect.stringContaining('不是发票') });
    expect(other.invoice.mismatches).toEqual([]);
  });

  it('wants the village before the file, a multipart body, and the right to the village', async () => {
    const { bytes } = await invoiceImage(10_002);
    const late = multipart([{ name: 'file', filename: 'a.png', content: bytes }, { name: 'villageCode', value: world.villageA.code }]);
    const lateResponse = await t.app.inject({ method: 'POST', url: '/api/v1/invoices', headers: { ...bookkeeperA, ...late.headers }, payload: late.payload });
    expect(lateResponse.statusCode).toBe(400);
    expect(lateResponse.json().errors[0]).toMatchObject({ field: 'villageCode', reason: expect.stringContaining('before the file') });
    expect((await postFile('/invoices', bookkeeperA, 'not-a-code', 'a.png', bytes)).statusCode).toBe(400);
    expect((await call('POST', '/invoices', bookkeeperA, { villageCode: world.villageA.code })).statusCode).toBe(415);
    expect((await postFile('/invoices', bookkeeperB, world.villageA.code, 'a.png', bytes)).statusCode).toBe(404);
    expect((await postFile('/invoices', otherCounty, world.villageA.code, 'a.png', bytes)).statusCode).toBe(403);
    expect((await postFile('/invoices', townOfficerA, world.villageA.code, 'a.png', bytes)).statusCode).toBe(403);
    expect((await postFile('/invoices', villagerA, world.villageA.code, 'a.png', bytes)).statusCode).toBe(403);
    expect((await postFile('/invoices', null, world.villageA.code, 'a.png', bytes)).statusCode).toBe(401);
  });
});

describe('ledger lines (收支明细) and the joint review (联审)', () => {
  let invoiceA: string;
  let invoiceA2: string;
  let expense: TLedgerLine;

  beforeAll(async () => {
    [invoiceA, invoiceA2] = await Promise.all([invoiceImage(500_000), invoiceImage(480_000)]).then(async ([a, b]) => [
      (await upload(bookkeeperA, world.villageA.code, 'a.png', a.bytes)).id,
      (await upload(bookkeeperA, world.villageA.code, 'b.png', b.bytes)).id,
    ]);
  });

  it('enters an expense with its invoice (pending review) and an income line (no review needed); checks invoices, dates and scope', async () => {
    expense = await createLine(bookkeeperA, world.villageA.code, { direction: 'expense', date: '2025-04-16', amountFen: 500_000, subject: '道路维修', counterparty: '南安市某建筑公司', voucherNo: '记-2025-04-010', invoiceIds: [invoiceA] });
    expect(expense).toMatchObject({ reviewStatus: 'pending', reviews: [], disclosureId: null, createdByName: '陈报账', counterpartyKind: 'organisation', allowedActions: ['edit'], invoices: [expect.objectContaining({ id: invoiceA, lineId: expense.id })] });
    const income = await createLine(cadreA, world.villageA.code, { direction: 'income', date: '2025-04-02', amountFen: 5_000_000, subject: '上级转移支付', counterparty: '镇财政所', voucherNo: '记-2025-04-001' });
    expect(income).toMatchObject({ reviewStatus: 'not_required', allowedActions: ['edit'] });

    const taken = await call('POST', '/ledger-lines', bookkeeperA, { villageCode: world.villageA.code, direction: 'expense', date: '2025-04-17', amountFen: 100, subject: 'x', counterparty: 'y', paymentMethod: 'cash', voucherNo: 'z', invoiceIds: [invoiceA] });
    expect(taken.statusCode).toBe(400);
    expect(taken.json().errors[0]).toMatchObject({ field: 'invoiceIds', reason: expect.stringContaining('another line') });
    const foreign = (await upload(bookkeeperB, world.villageB.code, 'b.png', (await invoiceImage(1_000)).bytes)).id;
    expect((await call('POST', '/ledger-lines', bookkeeperA, { villageCode: world.villageA.code, direction: 'expense', date: '2025-04-17', amountFen: 100, subject: 'x', counterparty: 'y', paymentMethod: 'cash', voucherNo: 'z', invoiceIds: [foreign] })).statusCode).toBe(400);
    const future = await call('POST', '/ledger-lines', bookkeeperA, { villageCode: world.villageA.code, direction: 'income', date: '2025-06-01', amountFen: 100, subject: 'x', counterparty: 'y', paymentMethod: 'cash', voucherNo: 'z' });
    expect(future.json().errors[0]).toMatchObject({ field: 'date' });
    expect((await call('POST', '/ledger-lines', bookkeeperA, { villageCode: world.villageA.code, direction: 'income', date: '2025-04-31', amountFen: 1.5, subject: 'x', counterparty: 'y', paymentMethod: 'cash', voucherNo: 'z' })).statusCode).toBe(400);

    const body = { villageCode: world.villageA.code, direction: 'income', date: '2025-04-02', amountFen: 100, subject: 'x', counterparty: 'y', paymentMethod: 'cash', voucherNo: 'z' };
    expect((await call('POST', '/ledger-lines', bookkeeperB, body)).statusCode).toBe(404);
    expect((await call('POST', '/ledger-lines', residentA, body)).statusCode).toBe(403);
    expect((await call('POST', '/ledger-lines', villagerA, body)).statusCode).toBe(403);
    for (const who of [bookkeeperB, otherCounty, residentB]) expect((await call('GET', `/ledger-lines/${expense.id}`, who)).statusCode).toBe(404);
    expect((await call('GET', `/ledger-lines/${expense.id}`, villagerA)).statusCode).toBe(403);
    expect((await call('GET', `/ledger-lines/${expense.id}`, townOfficerA)).json()).toMatchObject({ id: expense.id, allowedActions: [] });
    expect((await call('GET', `/ledger-lines/${expense.id}`, residentA)).json().allowedActions).toEqual(['review']);
  });

  it('lets nobody review his own entries: neither a line he entered nor one carrying an invoice he uploaded', async () => {
    const own = await createLine(dual, world.villageA.code, { direction: 'expense', date: '2025-04-20', amountFen: 20_000, subject: '办公用品', counterparty: '某文具店', voucherNo: '记-2025-04-020' });
    expect(own.allowedActions).toEqual(['edit']);
    const refused = await review(dual, own.id, 'approve');
    expect(refused.statusCode).toBe(403);
    expect(refused.json().detail).toContain('不能审核自己录入');
    const dualInvoice = (await upload(dual, world.villageA.code, 'd.png', (await invoiceImage(30_000)).bytes)).id;
    const withTheirs = await createLine(bookkeeperA, world.villageA.code, { direction: 'expense', date: '2025-04-21', amountFen: 30_000, subject: '办公用品', counterparty: '某文具店', voucherNo: '记-2025-04-021', invoiceIds: [dualInvoice] });
    expect((await review(dual, withTheirs.id, 'approve')).statusCode).toBe(403);
    // Someone else reviews them.
    expect((await review(residentA, own.id, 'approve')).statusCode).toBe(200);
    expect((await review(residentA, withTheirs.id, 'approve')).statusCode).toBe(200);
    const status = await t.services.db.selectFrom('lineReviews').select('reviewerName').where('lineId', 'in', [own.id, withTheirs.id]).execute();
    expect(status.map((s) => s.reviewerName)).toEqual(['许驻村', '许驻村']);
  });

  it('refuses reviewers of another town (404), people without the role (403) and decisions on income or decided lines (409)', async () => {
    expect((await review(residentB, expense.id, 'approve')).statusCode).toBe(404);
    expect((await review(otherCounty, expense.id, 'approve')).statusCode).toBe(403);
    expect((await review(cadreA, expense.id, 'approve')).statusCode).toBe(403);
    expect((await review(residentA, expense.id, 'reject')).statusCode).toBe(400); // a rejection needs a reason
    const income = await createLine(bookkeeperA, world.villageA.code, { direction: 'income', date: '2025-04-03', amountFen: 1_000, subject: '利息收入', counterparty: '农商银行', voucherNo: '记-2025-04-003' });
    const incomeReview = await review(residentA, income.id, 'approve');
    expect(incomeReview.statusCode).toBe(409);
    expect(incomeReview.json().detail).toContain('无需联审');
  });

  it('rejects with a reason; the bookkeeper replaces the invoice, the line goes back to review, is approved with the unit\'s name and seal', async () => {
    const rejected = await review(residentA, expense.id, 'reject', '发票金额与支出不符');
    expect(rejected.statusCode, rejected.body).toBe(200);
    expect(rejected.json<TLedgerLine>()).toMatchObject({ reviewStatus: 'rejected', reviews: [{ decision: 'reject', reason: '发票金额与支出不符', reviewerName: '许驻村', reviewerUnit: `${townAName}人民政府`, stampUrl: null }] });
    expect((await review(residentA, expense.id, 'approve')).statusCode).toBe(409);
    expect((await call('GET', `/ledger-lines/${expense.id}`, bookkeeperA)).json().allowedActions).toEqual(['edit']);

    const replaced = await call('PATCH', `/ledger-lines/${expense.id}`, bookkeeperA, { invoiceIds: [invoiceA2], amountFen: 480_000 });
    expect(replaced.statusCode, replaced.body).toBe(200);
    expect(replaced.json<TLedgerLine>()).toMatchObject({ reviewStatus: 'pending', amountFen: 480_000, invoices: [expect.objectContaining({ id: invoiceA2 })] });
    expect((await call('GET', `/invoices/${invoiceA}`, bookkeeperA)).json().lineId).toBeNull();

    const approved = await review(residentA, expense.id, 'approve');
    expect(approved.statusCode, approved.body).toBe(200);
    const line = approved.json<TLedgerLine>();
    expect(line.reviewStatus).toBe('approved');
    expect(line.reviews.map((r) => r.decision)).toEqual(['approve', 'reject']);
    expect(line.reviews[0]).toMatchObject({ reviewerName: '许驻村', reviewerUnit: `${townAName}人民政府`, reason: null, stampUrl: expect.stringMatching(/^\/api\/v1\/stamps\/[0-9a-f]{64}\.png$/) });
    expect(line.allowedActions).toEqual([]);

    // The seal is public; only seals are served from there.
    const stamp = await t.app.inject({ method: 'GET', url: line.reviews[0]!.stampUrl! });
    expect(stamp.statusCode).toBe(200);
    expect(stamp.headers['content-type']).toBe('image/png');
    expect((await sharp(stamp.rawPayload).metadata()).format).toBe('png');
    expect((await t.app.inject({ method: 'GET', url: `/api/v1/stamps/${line.invoices[0]!.sha256}.png` })).statusCode).toBe(404);

    // Each decision is one ledger entry without personal data, and one audit event.
    const entries = await t.services.db.selectFrom('ledgerEntries').select(['entry', 'type']).where('ref', '=', `ledger-line:${expense.id}`).orderBy('idx').execute();
    expect(entries.map((e) => e.type)).toEqual(['finance.line_reviewed', 'finance.line_reviewed']);
    expect(JSON.parse(entries[1]!.entry)).toMatchObject({ decision: 'approve', village: world.villageA.code, digest: expect.stringMatching(/^[0-9a-f]{64}$/) });
    expect(entries.map((e) => e.entry).join()).not.toMatch(/许驻村|南安市某建筑公司|发票金额/);
    expect(await t.services.db.selectFrom('auditEvents').select('id').where('action', '=', 'finance.line.review').where('entityId', '=', expense.id).execute()).toHaveLength(2);

    // Approved: fixed, and so are its invoices.
    expect((await call('PATCH', `/ledger-lines/${expense.id}`, bookkeeperA, { summary: '改' })).statusCode).toBe(409);
    expect((await call('PATCH', `/invoices/${invoiceA2}`, bookkeeperA, { amountFen: 1 })).statusCode).toBe(409);
    // The decisions are append-only.
    await expect(sql`UPDATE line_reviews SET reason = 'x' WHERE line_id = ${expense.id}`.execute(t.services.db)).rejects.toThrow(/IMMUTABLE/);
  });

  it('queues the pending expenses of the reviewer\'s villages, oldest first, paged', async () => {
    const first = await createLine(bookkeeperA, world.villageA.code, { direction: 'expense', date: '2025-04-22', amountFen: 7_000, subject: '保洁', counterparty: '某保洁公司', voucherNo: '记-2025-04-022' });
    await createLine(bookkeeperA, world.villageA.code, { direction: 'expense', date: '2025-04-05', amountFen: 8_000, subject: '保洁', counterparty: '某保洁公司', voucherNo: '记-2025-04-023' });
    await createLine(bookkeeperB, world.villageB.code, { direction: 'expense', date: '2025-04-05', amountFen: 9_000, subject: '保洁', counterparty: '某保洁公司', voucherNo: '记-B-001' });
    const queue = (await call('GET', '/reviews/queue', residentA)).json<TReviewQueue>();
    expect(queue.lines.every((l) => l.villageCode === world.villageA.code && l.reviewStatus === 'pending')).toBe(true);
    expect(queue.lines.map((l) => l.voucherNo)).toEqual(['记-2025-04-022', '记-2025-04-023']); // in the order entered
    expect(queue.pendingCount).toBe(2);
    expect(queue.lines[0]!.allowedActions).toEqual(['review']);
    const paged = (await call('GET', '/reviews/queue?limit=1', residentA)).json<TReviewQueue>();
    expect(paged.lines.map((l) => l.id)).toEqual([first.id]);
    const next = (await call('GET', `/reviews/queue?limit=1&cursor=${paged.nextCursor}`, residentA)).json<TReviewQueue>();
    expect(next.lines.map((l) => l.voucherNo)).toEqual(['记-2025-04-023']);
    expect(next.nextCursor).toBeNull();
    expect((await call('GET', '/reviews/queue', residentB)).json<TReviewQueue>().lines.map((l) => l.voucherNo)).toEqual(['记-B-001']);
    expect((await call('GET', '/reviews/queue?status=approved', residentA)).json<TReviewQueue>().lines.length).toBeGreaterThanOrEqual(3);
    expect((await call('GET', `/reviews/queue?region=${world.villageB.code}`, residentA)).statusCode).toBe(404);
    expect((await call('GET', `/reviews/queue?region=${world.villageA.code}`, residentA)).json().pendingCount).toBe(2);
    expect((await call('GET', '/reviews/queue', bookkeeperA)).statusCode).toBe(403);
    expect((await call('GET', '/reviews/queue?cursor=junk', residentA)).statusCode).toBe(400);
  });

  it('lists a month of a village\'s ledger with totals by subject and review counts', async () => {
    const month = (await call('GET', `/villages/${world.villageA.code}/ledger-lines?month=2025-04`, bookkeeperA)).json<TLedgerMonth>();
    expect(month.lines.length).toBeGreaterThanOrEqual(7);
    expect(month.lines.map((l) => l.date)).toEqual([...month.lines.map((l) => l.date)].sort());
    const sum = (d: string) => month.lines.filter((l) => l.direction === d).reduce((s, l) => s + l.amountFen, 0);
    expect(month.totals).toMatchObject({ incomeFen: sum('income'), expenseFen: sum('expense'), balanceFen: sum('income') - sum('expense'), lineCount: month.lines.length });
    expect(month.totals.bySubject).toEqual(expect.arrayContaining([{ subject: '保洁', direction: 'expense', amountFen: 15_000, count: 2 }]));
    expect(month.totals.reviewCounts).toMatchObject({ pending: 2, rejected: 0 });
    const onlyIncome = (await call('GET', `/villages/${world.villageA.code}/ledger-lines?month=2025-04&direction=income`, townOfficerA)).json<TLedgerMonth>();
    expect(onlyIncome.lines.every((l) => l.direction === 'income')).toBe(true);
    expect(onlyIncome.totals).toEqual(month.totals);
    expect((await call('GET', `/villages/${world.villageA.code}/ledger-lines?month=2025-13`, bookkeeperA)).statusCode).toBe(400);
    for (const who of [bookkeeperB, otherCounty, residentB]) expect((await call('GET', `/villages/${world.villageA.code}/ledger-lines?month=2025-04`, who)).statusCode).toBe(404);
    expect((await call('GET', `/villages/${world.villageA.code}/ledger-lines?month=2025-04`, villagerA)).statusCode).toBe(403);
  });
});

describe('F01 disclosures list the ledger and need the joint review', () => {
  let disclosure: TDisclosure;
  let personLine: TLedgerLine;
  let pendingLine: TLedgerLine;
  let publishedInvoice: string;

  beforeAll(async () => {
    publishedInvoice = (await upload(bookkeeperA, world.villageA.code, 'labour.png', (await invoiceImage(60_000, { date: '2025-03-20' })).bytes)).id;
    await createLine(bookkeeperA, world.villageA.code, { direction: 'income', date: '2025-03-01', amountFen: 2_000_000, subject: '上级转移支付', counterparty: '镇财政所', voucherNo: '记-2025-03-001' });
    personLine = await createLine(bookkeeperA, world.villageA.code, { direction: 'expense', date: '2025-03-20', amountFen: 60_000, subject: '劳务费', counterparty: '张三丰', counterpartyKind: 'person', voucherNo: '记-2025-03-002', invoiceIds: [publishedInvoice] });
    pendingLine = await createLine(bookkeeperA, world.villageA.code, { direction: 'expense', date: '2025-03-25', amountFen: 45_000, subject: '办公用品', counterparty: '某文具店', voucherNo: '记-2025-03-003' });
    expect((await review(residentA, personLine.id, 'approve')).statusCode).toBe(200);
  });

  it('lists the month\'s lines on its own, refuses lines of another village, period or disclosure, and line ids on other items', async () => {
    const created = await call('POST', '/disclosures', bookkeeperA, { villageCode: world.villageA.code, itemCode: 'F01', period: '2025-03', title: '2025年3月财务收支公开', body: '见明细' });
    expect(created.statusCode, created.body).toBe(200);
    disclosure = created.json<TDisclosure>();
    const listed = await t.services.db.selectFrom('disclosureLines').select('lineId').where('disclosureId', '=', disclosure.id).execute();
    expect(listed).toHaveLength(3);
    // The drafter (and later the reviewer) sees what publishing would publish: the lines, masked.
    const preview = disclosure.preview as { schema: string; lines: { counterparty: string }[] };
    expect(preview.schema).toBe('f01/1');
    expect(preview.lines.map((l) => l.counterparty)).toContain('张**');

    const aprilLine = (await call('GET', `/villages/${world.villageA.code}/ledger-lines?month=2025-04`, bookkeeperA)).json<TLedgerMonth>().lines[0]!.id;
    const bLine = (await createLine(bookkeeperB, world.villageB.code, { direction: 'income', date: '2025-03-03', amountFen: 100, subject: 'x', counterparty: 'y', voucherNo: 'B-03' })).id;
    const edit = (lineIds: string[]) => call('PATCH', `/disclosures/${disclosure.id}`, bookkeeperA, { lineIds });
    expect((await edit([aprilLine])).json().errors[0].reason).toContain('不在公开期间内');
    expect((await edit([bLine])).json().errors[0].reason).toContain('本村没有该收支明细');
    const other = await call('POST', '/disclosures', cadreA, { villageCode: world.villageA.code, itemCode: 'F09', period: '2025-03', title: '其他', body: '其他', lineIds: [personLine.id] });
    expect(other.statusCode).toBe(400);
    expect(other.json().errors[0]).toMatchObject({ field: 'lineIds', reason: expect.stringContaining('F01') });

    // With no line at all an F01 is never published.
    const feb = await call('POST', '/disclosures', bookkeeperA, { villageCode: world.villageA.code, itemCode: 'F01', period: '2025-02', title: '二月', body: '二月', lineIds: [] });
    expect(feb.statusCode).toBe(200);
    await call('POST', `/disclosures/${feb.json().id}/submit`, bookkeeperA);
    expect((await call('POST', `/disclosures/${feb.json().id}/review`, residentA, { decision: 'approve' })).statusCode).toBe(200);
    const empty = await call('POST', `/disclosures/${feb.json().id}/publish`, cadreA);
    expect(empty.statusCode).toBe(409);
    expect(empty.json().detail).toContain('至少列入一条');
  });

  it('is reviewed by the resident cadre (not by its author); a rejection sends it back for editing', async () => {
    expect((await call('POST', `/disclosures/${disclosure.id}/review`, residentA, { decision: 'approve' })).statusCode).toBe(409); // still a draft
    expect((await call('POST', `/disclosures/${disclosure.id}/submit`, dual)).statusCode).toBe(200);
    const own = await call('POST', `/disclosures/${disclosure.id}/review`, dual, { decision: 'approve' });
    expect(own.statusCode).toBe(403);
    expect(own.json().detail).toContain('不能审核自己');
    expect((await call('POST', `/disclosures/${disclosure.id}/review`, residentB, { decision: 'approve' })).statusCode).toBe(404);
    expect((await call('POST', `/disclosures/${disclosure.id}/review`, cadreA, { decision: 'approve' })).statusCode).toBe(403);
    const queue = (await call('GET', '/reviews/queue', residentA)).json<TReviewQueue>();
    expect(queue.disclosures).toEqual([expect.objectContaining({ id: disclosure.id, itemCode: 'F01', period: '2025-03', pendingLines: 1 })]);

    const rejected = await call('POST', `/disclosures/${disclosure.id}/review`, residentA, { decision: 'reject', reason: '请补充说明' });
    expect(rejected.statusCode, rejected.body).toBe(200);
    expect(rejected.json<TDisclosure>()).toMatchObject({ status: 'rejected', reviews: [{ decision: 'reject', reason: '请补充说明', stampUrl: null }] });
    expect((await call('GET', `/disclosures/${disclosure.id}`, bookkeeperA)).json().allowedActions).toEqual(['edit', 'submit']);
    expect((await call('PATCH', `/disclosures/${disclosure.id}`, bookkeeperA, { body: '见明细。办公用品一笔待联审。' })).json().status).toBe('draft');
    expect((await call('POST', `/disclosures/${disclosure.id}/submit`, bookkeeperA)).statusCode).toBe(200);
    const approved = await call('POST', `/disclosures/${disclosure.id}/review`, residentA, { decision: 'approve' });
    expect(approved.json<TDisclosure>()).toMatchObject({ status: 'approved', reviews: [{ decision: 'approve', reviewerUnit: `${townAName}人民政府`, stampUrl: expect.stringContaining('/api/v1/stamps/') }, { decision: 'reject' }] });
    const entry = await t.services.db.selectFrom('ledgerEntries').select('entry').where('ref', '=', `disclosure:${disclosure.id}`).where('type', '=', 'disclosure.reviewed').execute();
    expect(entry).toHaveLength(2);
  });

  it('cannot be published while an expense it lists is unapproved; then publishes the lines masked, with invoices and approvals', async () => {
    // Before publication the invoice is nobody's business outside the village's officials.
    expect((await call('GET', `/invoices/${publishedInvoice}/image`, villagerA)).statusCode).toBe(404);
    const blocked = await call('POST', `/disclosures/${disclosure.id}/publish`, cadreA);
    expect(blocked.statusCode).toBe(409);
    expect(blocked.json().detail).toContain('还有 1 笔支出未经驻村干部联审通过（如凭证号 记-2025-03-003）');
    // Lines of an approved disclosure stay as approved, unless the reviewer sends one back: then it is fixed and re-reviewed.
    const frozen = await call('PATCH', `/ledger-lines/${pendingLine.id}`, bookkeeperA, { summary: '打印纸' });
    expect(frozen.statusCode).toBe(409);
    expect(frozen.json().detail).toContain('正在联审');
    expect((await review(residentA, pendingLine.id, 'reject', '请补充摘要')).statusCode).toBe(200);
    expect((await call('PATCH', `/ledger-lines/${pendingLine.id}`, bookkeeperA, { summary: '打印纸' })).json()).toMatchObject({ reviewStatus: 'pending', summary: '打印纸' });
    expect((await call('POST', `/disclosures/${disclosure.id}/publish`, cadreA)).statusCode).toBe(409);
    expect((await review(residentA, pendingLine.id, 'approve')).statusCode).toBe(200);
    const published = await call('POST', `/disclosures/${disclosure.id}/publish`, cadreA);
    expect(published.statusCode, published.body).toBe(200);
    const version = published.json<TDisclosure>().versions[0]!;
    const structured = version.structured as unknown as TF01Structured;
    expect(structured.schema).toBe('f01/1');
    expect(structured.lines.map((l) => l.voucherNo)).toEqual(['记-2025-03-001', '记-2025-03-002', '记-2025-03-003']);
    const labour = structured.lines.find((l) => l.id === personLine.id)!;
    expect(labour).toMatchObject({ counterparty: '张**', amountFen: 60_000, review: { reviewerUnit: `${townAName}人民政府`, reviewedAt: expect.any(String) } });
    expect(labour.invoices).toEqual([expect.objectContaining({ id: publishedInvoice, sha256: expect.stringMatching(/^[0-9a-f]{64}$/), amountFen: 60_000, date: '2025-03-20' })]);
    expect(structured.lines.find((l) => l.direction === 'income')).toMatchObject({ counterparty: '镇财政所', review: null });
    expect(structured.totals).toMatchObject({ incomeFen: 2_000_000, expenseFen: 105_000, balanceFen: 1_895_000, lineCount: 3 });
    expect(JSON.stringify(structured)).not.toContain('张三丰');
    // Villagers of the village read the published disclosure (approvals only) and see the lines' invoices.
    const seen = (await call('GET', `/disclosures/${disclosure.id}`, villagerA)).json<TDisclosure>();
    expect(seen.reviews).toEqual([expect.objectContaining({ decision: 'approve' })]);
    expect(JSON.stringify(seen)).not.toContain('张三丰');

    const line = (await call('GET', `/ledger-lines/${personLine.id}`, bookkeeperA)).json<TLedgerLine>();
    expect(line).toMatchObject({ disclosureId: disclosure.id, allowedActions: [] });
  });

  it('fixes published lines for good: the application\'s own database role cannot change them; the API answers 409', async () => {
    await expect(sql`UPDATE ledger_lines SET amount_fen = 1 WHERE id = ${personLine.id}`.execute(t.services.db)).rejects.toThrow(/IMMUTABLE/);
    await expect(sql`UPDATE ledger_lines SET disclosure_id = NULL WHERE id = ${personLine.id}`.execute(t.services.db)).rejects.toThrow(/IMMUTABLE/);
    await expect(sql`DELETE FROM ledger_lines WHERE id = ${personLine.id}`.execute(t.services.db)).rejects.toThrow(/IMMUTABLE/);
    await expect(sql`UPDATE invoices SET amount_fen = 1 WHERE id = ${publishedInvoice}`.execute(t.services.db)).rejects.toThrow(/IMMUTABLE/);
    await expect(sql`DELETE FROM disclosure_lines WHERE line_id = ${personLine.id}`.execute(t.services.db)).rejects.toThrow(/IMMUTABLE/);
    const patched = await call('PATCH', `/ledger-lines/${personLine.id}`, bookkeeperA, { summary: '悄悄改' });
    expect(patched.statusCode).toBe(409);
    expect(patched.json().detail).toContain('冲销');
    expect((await call('PATCH', `/invoices/${publishedInvoice}`, bookkeeperA, { confirm: true })).statusCode).toBe(409);
  });

  it('shows a published line\'s invoice to the village\'s villagers only', async () => {
    const got = await call('GET', `/invoices/${publishedInvoice}/image`, villagerA);
    expect(got.statusCode).toBe(200);
    expect(got.headers['content-type']).toBe('image/png');
    expect((await call('GET', `/invoices/${publishedInvoice}/thumbnail`, villagerA)).statusCode).toBe(200);
    expect((await call('GET', `/invoices/${publishedInvoice}/image`, villagerB)).statusCode).toBe(404);
    expect((await call('GET', `/invoices/${publishedInvoice}`, villagerA)).statusCode).toBe(403); // the official view stays official
  });

  it('publishes a correction that adds a reversing line; the first version\'s lines stay', async () => {
    const reversal = await createLine(bookkeeperA, world.villageA.code, { direction: 'income', date: '2025-03-31', amountFen: 5_000, subject: '办公用品退款', counterparty: '某文具店', voucherNo: '记-2025-03-004' });
    const corrected = await call('POST', `/disclosures/${disclosure.id}/correct`, cadreA, { reason: '办公用品退货冲销', lineIds: [reversal.id] });
    expect(corrected.statusCode, corrected.body).toBe(200);
    const [v2, v1] = corrected.json<TDisclosure>().versions;
    expect((v2!.structured as unknown as TF01Structured).lines.map((l) => l.voucherNo)).toEqual(['记-2025-03-001', '记-2025-03-002', '记-2025-03-003', '记-2025-03-004']);
    expect((v1!.structured as unknown as TF01Structured).lines).toHaveLength(3);
    expect((await call('GET', `/ledger-lines/${reversal.id}`, bookkeeperA)).json().disclosureId).toBe(disclosure.id);
    // Listing the same lines again changes nothing: not a correction.
    expect((await call('POST', `/disclosures/${disclosure.id}/correct`, cadreA, { reason: '再次', lineIds: [reversal.id] })).statusCode).toBe(400);
  });
  it('takes on submission the lines of its month entered after the draft was started', async () => {
    const draft = await call('POST', '/disclosures', bookkeeperA, { villageCode: world.villageA.code, itemCode: 'F01', period: '2025-01', title: '2025年1月财务收支公开', body: '见明细' });
    expect(draft.statusCode, draft.body).toBe(200);
    const late = await createLine(bookkeeperA, world.villageA.code, { direction: 'income', date: '2025-01-15', amountFen: 88_000, subject: '租金收入', counterparty: '某果林承包户', voucherNo: '记-2025-01-001' });
    const listedIds = async () => (await t.services.db.selectFrom('disclosureLines').select('lineId').where('disclosureId', '=', draft.json().id).execute()).map((r) => r.lineId);
    expect(await listedIds()).toEqual([]);
    expect((await call('POST', `/disclosures/${draft.json().id}/submit`, bookkeeperA)).statusCode).toBe(200);
    expect(await listedIds()).toEqual([late.id]);
  });
});

describe('importing a sheet of lines', () => {
  const HEADER = LEDGER_IMPORT_COLUMNS.map((c) => c.zh);

  async function xlsx(rows: (string | number | Date)[][], header: string[] = HEADER): Promise<Buffer> {
    const workbook = new ExcelJS.Workbook();
    const sheet = workbook.addWorksheet('收支明细');
    sheet.addRow(header);
    for (const row of rows) sheet.addRow(row);
    return Buffer.from(await workbook.xlsx.writeBuffer());
  }

  const GOOD: (string | number | Date)[][] = [
    ['2025-02-03', '收入', '1,280.50', '集体经营收入', '某合作社', '单位', '银行转账', '记-2025-02-001', '租金'],
    ['2025/2/10', '支出', 300, '劳务费', '夏丽华', '个人', '现金', '记-2025-02-002', ''],
    [new Date(Date.UTC(2025, 1, 14)), 'expense', '45', '办公用品', '某文具店', '', 'wechat', '记-2025-02-003', '打印纸'],
  ];

  it('creates every line of a good sheet with exact fen amounts; importing it again creates nothing', async () => {
    const file = await xlsx(GOOD);
    const response = await postFile('/ledger-lines/import', bookkeeperA, world.villageA.code, 'feb.xlsx', file);
    expect(response.statusCode, response.body).toBe(200);
    expect(response.json()).toMatchObject({ created: 3, skipped: 0, errors: [] });
    const month = (await call('GET', `/villages/${world.villageA.code}/ledger-lines?month=2025-02`, bookkeeperA)).json<TLedgerMonth>();
    expect(month.lines.map((l) => [l.date, l.direction, l.amountFen, l.counterpartyKind, l.paymentMethod, l.reviewStatus])).toEqual([
      ['2025-02-03', 'income', 128_050, 'organisation', 'bank', 'not_required'],
      ['2025-02-10', 'expense', 30_000, 'person', 'cash', 'pending'],
      ['2025-02-14', 'expense', 4_500, 'organisation', 'wechat', 'pending'],
    ]);
    const again = await postFile('/ledger-lines/import', bookkeeperA, world.villageA.code, 'feb.xlsx', file);
    expect(again.json()).toMatchObject({ created: 0, skipped: 3, errors: [], lineIds: [] });
    // English headers and CSV work too.
    const csv = `Date,Income/Expense,Amount (yuan),Account subject,Counterparty,Payment method,Voucher no.\n2025-02-20,income,10.00,利息收入,农商银行,bank,记-2025-02-004\n`;
    expect((await postFile('/ledger-lines/import', bookkeeperA, world.villageA.code, 'more.csv', Buffer.from(csv))).json()).toMatchObject({ created: 1 });
  });

  it('creates nothing when one amount is bad and names its row and column', async () => {
    const before = (await call('GET', `/villages/${world.villageA.code}/ledger-lines?month=2025-01`, bookkeeperA)).json<TLedgerMonth>().lines.length;
    const rows = [
      ['2025-01-05', '收入', '100', '集体经营收入', '某合作社', '单位', '银行转账', '记-2025-01-001', ''],
      ['2025-01-06', '支出', '12.345', '办公用品', '某文具店', '单位', '现金', '记-2025-01-002', ''],
      ['2025-01-07', '支出', '20', '办公用品', '某文具店', '单位', '刷卡', '记-2025-01-003', ''],
    ];
    const response = await postFile('/ledger-lines/import', bookkeeperA, world.villageA.code, 'jan.xlsx', await xlsx(rows));
    expect(response.statusCode).toBe(200);
    expect(response.json()).toMatchObject({
      created: 0, lineIds: [],
      errors: [{ row: 3, column: '金额（元）', reason: expect.stringContaining('两位小数') }, { row: 4, column: '支付方式', reason: expect.stringContaining('银行转账') }],
    });
    expect((await call('GET', `/villages/${world.villageA.code}/ledger-lines?month=2025-01`, bookkeeperA)).json<TLedgerMonth>().lines).toHaveLength(before);
  });

  it('refuses files it cannot read, sheets without the columns, and villages out of scope; serves the template', async () => {
    const missing = await postFile('/ledger-lines/import', bookkeeperA, world.villageA.code, 'x.xlsx', await xlsx([['2025-01-05', '收入', '100']], ['日期', '收支', '金额（元）']));
    expect(missing.statusCode).toBe(400);
    expect(missing.json().detail).toContain('缺少必填列');
    const png = await postFile('/ledger-lines/import', bookkeeperA, world.villageA.code, 'x.xlsx', (await invoiceImage(1)).bytes);
    expect(png.statusCode).toBe(415);
    expect((await postFile('/ledger-lines/import', bookkeeperB, world.villageA.code, 'x.xlsx', await xlsx(GOOD))).statusCode).toBe(404);
    expect((await postFile('/ledger-lines/import', otherCounty, world.villageA.code, 'x.xlsx', await xlsx(GOOD))).statusCode).toBe(403);

    const template = await call('GET', '/ledger-lines/import-template', bookkeeperA);
    expect(template.statusCode).toBe(200);
    expect(template.headers['content-type']).toContain('spreadsheetml');
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(template.rawPayload as unknown as ExcelJS.Buffer);
    const sheet = workbook.worksheets[0]!;
    expect((sheet.getRow(1).values as unknown[]).slice(1)).toEqual(HEADER);
    expect((sheet.getRow(2).values as unknown[]).slice(1)).toEqual(LEDGER_IMPORT_COLUMNS.map((c) => c.example));
    expect((await call('GET', '/ledger-lines/import-template', villagerA)).statusCode).toBe(403);
  });
});

describe('scope on every route', () => {
  it('refuses officials of another county and another village everywhere (404 when out of scope, 403 without the permission)', async () => {
    const invoice = (await upload(bookkeeperA, world.villageA.code, 's.png', (await invoiceImage(2_000)).bytes)).id;
    const line = (await createLine(bookkeeperA, world.villageA.code, { direction: 'expense', date: '2025-04-28', amountFen: 2_000, subject: '杂项', counterparty: '某店', voucherNo: '记-2025-04-099' })).id;
    const attempts: [string, 'GET' | 'POST' | 'PATCH', string, unknown?][] = [
      ['get invoice', 'GET', `/invoices/${invoice}`],
      ['patch invoice', 'PATCH', `/invoices/${invoice}`, { confirm: true }],
      ['invoice image', 'GET', `/invoices/${invoice}/image`],
      ['invoice thumbnail', 'GET', `/invoices/${invoice}/thumbnail`],
      ['create line', 'POST', '/ledger-lines', { villageCode: world.villageA.code, direction: 'income', date: '2025-04-02', amountFen: 100, subject: 'x', counterparty: 'y', paymentMethod: 'cash', voucherNo: 'z' }],
      ['patch line', 'PATCH', `/ledger-lines/${line}`, { summary: 'x' }],
      ['get line', 'GET', `/ledger-lines/${line}`],
      ['month', 'GET', `/villages/${world.villageA.code}/ledger-lines?month=2025-04`],
      ['review', 'POST', `/reviews/${line}`, { decision: 'approve' }],
    ];
    for (const who of [otherCounty, bookkeeperB, residentB]) {
      for (const [name, method, url, payload] of attempts) {
        const response = await call(method, url, who, payload);
        expect([403, 404], `${name}: ${response.statusCode} ${response.body}`).toContain(response.statusCode);
      }
    }
    expect((await call('GET', `/reviews/queue?region=${world.villageA.code}`, otherCounty)).statusCode).toBe(403);
    expect((await call('GET', `/reviews/queue?region=${world.villageA.code}`, residentB)).statusCode).toBe(404);
  });
});
