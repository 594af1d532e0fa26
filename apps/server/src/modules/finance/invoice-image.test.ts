import { crc32, deflateSync } from 'node:zlib';
import QRCode from 'qrcode';
import sharp from 'sharp';
import { beforeAll, describe, expect, it } from 'vitest';
import { FINANCE_LIMITS, parseInvoiceQr } from '@cunwu/contract';
import { AppError } from '../../kernel/errors';
import { amountInChineseCapitals, invoiceQrPayload, renderInvoiceImage, type TDemoInvoice } from '../demo/demo.invoice-image';
import { inspectInvoice, type TInvoiceInspection } from './invoice-image';
import { renderStamp } from './stamp';

// Pure image tests: no database. Invoices come from the demo renderer, bad files are built here.

const INVOICE: Omit<TDemoInvoice, 'format'> = {
  code: '035002400111',
  number: '12345678',
  date: '2026-04-15',
  amountFen: 128_050,
  taxFen: 3_842,
  sellerName: '南安市梅山镇鑫源建材商行',
  sellerTaxId: '92350583MA2Y8K7X4R',
  buyerName: '南安市梅山镇灯光村民委员会',
  items: [
    { name: '建筑材料*水泥', amountFen: 98_050 },
    { name: '五金*钢钉', amountFen: 30_000 },
  ],
  checkCode: '88797755437411041530',
};

const EXPECTED_QR = { version: '01', kind: '10', code: '035002400111', number: '12345678', amountFen: 128_050, date: '2026-04-15', checkCode: '88797755437411041530' };

/** The AppError a promise rejects with (fails the test when it resolves or throws something else). */
async function appErrorOf(promise: Promise<unknown>): Promise<AppError> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(AppError);
  return error as AppError;
}

/** Expect a 4xx naming the file field. */
async function expectFileRefused(promise: Promise<unknown>, messagePart: RegExp | string): Promise<void> {
  const error = await appErrorOf(promise);
  expect(error.status).toBeGreaterThanOrEqual(400);
  expect(error.status).toBeLessThan(500);
  expect(error.fieldErrors?.[0]?.field).toBe('file');
  expect(error.message).toMatch(messagePart);
  expect(error.message).toMatch(/ \/ .*[\u4e00-\u9fff]/); // bilingual: 'english / 中文'
}

/** Expect the thumbnail to be a JPEG `thumbnailWidth` wide. */
async function expectThumbnail(inspection: TInvoiceInspection): Promise<void> {
  const meta = await sharp(inspection.thumbnail).metadata();
  expect(meta.format).toBe('jpeg');
  expect(meta.width).toBe(FINANCE_LIMITS.thumbnailWidth);
}

/** A PNG chunk: length, type, data, CRC. */
function pngChunk(type: string, data: Buffer): Buffer {
  const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([length, body, crc]);
}

/**
 * A valid single-colour PNG of width × height, 1 bit per pixel: 30000 × 30000 is ~110 KB of zlib that
 * decodes to 900 M pixels (3.6 GB as RGBA).
 */
function pngBomb(width: number, height: number): Buffer {
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header.set([1, 0, 0, 0, 0], 8); // bit depth 1, greyscale, deflate, no filter method, no interlace
  const rows = Buffer.alloc((1 + Math.ceil(width / 8)) * height); // filter byte 0 + zero bits per row
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), pngChunk('IHDR', header), pngChunk('IDAT', deflateSync(rows, { level: 9 })), pngChunk('IEND', Buffer.alloc(0))]);
}

/** A small real JPEG whose frame header (SOF) claims width × height: no decoder should go further. */
async function jpegClaiming(width: number, height: number): Promise<Buffer> {
  const jpeg = await sharp({ create: { width: 16, height: 16, channels: 3, background: '#ffffff' } }).jpeg({ mozjpeg: false, progressive: false }).toBuffer();
  for (let i = 2; i < jpeg.length - 9; ) {
    const marker = jpeg[i + 1]!;
    const length = jpeg.readUInt16BE(i + 2);
    if (marker >= 0xc0 && marker <= 0xc2) {
      jpeg.writeUInt16BE(height, i + 5);
      jpeg.writeUInt16BE(width, i + 7);
      return jpeg;
    }
    i += 2 + length;
  }
  throw new Error('no SOF marker');
}

/** A PDF built with mupdf: pages of the given sizes (points), optionally with the invoice grafted in as page `invoiceAt`. */
async function pdfWith(pageSizes: [number, number][], invoice?: { pdf: Buffer; at: number }): Promise<Buffer> {
  const mupdf = await import('mupdf');
  const doc = new mupdf.PDFDocument();
  try {
    pageSizes.forEach(([w, h], i) => {
      if (invoice && i === invoice.at) {
        const source = new mupdf.PDFDocument(invoice.pdf);
        doc.graftPage(-1, source, 0);
        source.destroy();
      } else {
        doc.insertPage(-1, doc.addPage([0, 0, w, h], 0, {}, `0 0 0 rg 36 36 200 20 re f`));
      }
    });
    return Buffer.from(doc.saveToBuffer('compress').asUint8Array());
  } finally {
    doc.destroy();
  }
}

describe('inspectInvoice: QR codes of rendered invoices', () => {
  it.each(['png', 'jpeg'] as const)('decodes a %s scan to the invoice fields', async (format) => {
    const bytes = await renderInvoiceImage({ ...INVOICE, format });
    const result = await inspectInvoice(bytes, `image/${format}`);
    expect(result).toMatchObject({ mimeType: `image/${format}`, width: 1800, height: 1050, pageCount: null, qrStatus: 'decoded', qrMessage: null, qr: EXPECTED_QR });
    expect(result.qrText).toBe(invoiceQrPayload({ ...INVOICE, format }));
    await expectThumbnail(result);
  });

  it('decodes an e-invoice PDF (page 1 rendered with mupdf) and counts its pages', async () => {
    const bytes = await renderInvoiceImage({ ...INVOICE, format: 'pdf' });
    expect(bytes.subarray(0, 5).toString()).toBe('%PDF-');
    const result = await inspectInvoice(bytes, 'application/pdf');
    expect(result).toMatchObject({ mimeType: 'application/pdf', width: 680, height: 397, pageCount: 1, qrStatus: 'decoded', qr: EXPECTED_QR });
    await expectThumbnail(result);
  });

  it('decodes a phone photo: tilted paper on a table, JPEG quality 80', async () => {
    const bytes = await renderInvoiceImage({ ...INVOICE, format: 'jpeg', photo: true });
    const meta = await sharp(bytes).metadata();
    expect(meta.format).toBe('jpeg');
    expect(meta.width).toBeGreaterThanOrEqual(1900);
    const result = await inspectInvoice(bytes, 'image/jpeg');
    expect(result.qrStatus).toBe('decoded');
    expect(result.qr).toEqual(EXPECTED_QR);
  });

  it('decodes a 12 MP photo where the invoice is small in the frame, within the time budget', async () => {
    const photo = await renderInvoiceImage({ ...INVOICE, format: 'jpeg', photo: true });
    const bytes = await sharp({ create: { width: 4000, height: 3000, channels: 3, background: '#6f6b66' } })
      .composite([{ input: photo, left: 700, top: 600 }])
      .jpeg({ quality: 85 })
      .toBuffer();
    const started = performance.now();
    const result = await inspectInvoice(bytes, 'image/jpeg');
    expect(performance.now() - started).toBeLessThan(3000); // ~0.3 s here; generous for loaded CI machines
    expect(result).toMatchObject({ width: 4000, height: 3000, qrStatus: 'decoded', qr: EXPECTED_QR });
  });

  it('turns a photo upright by its EXIF orientation (dimensions, thumbnail, QR)', async () => {
    const scan = await renderInvoiceImage({ ...INVOICE, format: 'jpeg' });
    const sideways = await sharp(scan).rotate(270).withMetadata({ orientation: 6 }).jpeg().toBuffer();
    expect((await sharp(sideways).metadata()).width).toBe(1050);
    const result = await inspectInvoice(sideways, 'image/jpeg');
    expect(result).toMatchObject({ width: 1800, height: 1050, qrStatus: 'decoded' });
    expect((await sharp(result.thumbnail).metadata()).height).toBe(210);
  });

  it('decodes kind 32 (全电发票: no code, 20-digit number) and kind 01 invoices', async () => {
    const fullyDigital = { ...INVOICE, kind: '32' as const, code: '', number: '26352000000012345678', checkCode: undefined };
    const a = await inspectInvoice(await renderInvoiceImage({ ...fullyDigital, format: 'png' }), 'image/png');
    expect(a.qr).toEqual({ version: '01', kind: '32', code: '', number: '26352000000012345678', amountFen: 128_050, date: '2026-04-15', checkCode: null });
    const special = { ...INVOICE, kind: '01' as const, code: '3500201130', checkCode: undefined };
    const b = await inspectInvoice(await renderInvoiceImage({ ...special, format: 'jpeg' }), 'image/jpeg');
    expect(b.qr).toMatchObject({ kind: '01', code: '3500201130', checkCode: null });
  });

  it('looks for the QR code on the next pages of a PDF when page 1 has none', async () => {
    const invoicePdf = await renderInvoiceImage({ ...INVOICE, format: 'pdf' });
    const bytes = await pdfWith([[595, 842], [680, 397], [595, 842]], { pdf: invoicePdf, at: 1 });
    const result = await inspectInvoice(bytes, 'application/pdf');
    expect(result).toMatchObject({ pageCount: 3, width: 595, height: 842, qrStatus: 'decoded', qr: EXPECTED_QR });
  });

  it('derives a check code that parses when none is given', () => {
    const payload = invoiceQrPayload({ ...INVOICE, checkCode: undefined, format: 'png' });
    expect(payload).toMatch(/^01,10,035002400111,12345678,1280\.50,20260415,\d{20},[0-9A-F]{4},$/);
    expect(parseInvoiceQr(payload).ok).toBe(true);
  });
});

describe('inspectInvoice: no QR code, or not an invoice', () => {
  it('reports none with a bilingual hint when the image has no QR code', async () => {
    const svg = '<svg xmlns="http://www.w3.org/2000/svg" width="1200" height="800"><rect width="100%" height="100%" fill="#fff"/><text x="100" y="200" font-size="60" font-family="Noto Sans CJK SC">收据 No.0012 现金 ¥300.00</text></svg>';
    const bytes = await sharp(Buffer.from(svg)).jpeg().toBuffer();
    const result = await inspectInvoice(bytes, 'image/jpeg');
    expect(result).toMatchObject({ qrStatus: 'none', qrText: null, qr: null });
    expect(result.qrMessage).toContain('no QR code');
    expect(result.qrMessage).toContain('未识别到二维码');
    await expectThumbnail(result);
  });

  it('keeps the text of a QR code that is a web link and says why it is no invoice', async () => {
    const code = await QRCode.toBuffer('https://example.com', { margin: 4, width: 300 });
    const bytes = await sharp({ create: { width: 1000, height: 700, channels: 3, background: '#ffffff' } })
      .composite([{ input: code, left: 60, top: 40 }])
      .png()
      .toBuffer();
    const result = await inspectInvoice(bytes, 'image/png');
    expect(result).toMatchObject({ qrStatus: 'not_invoice', qrText: 'https://example.com', qr: null });
    expect(result.qrMessage).toMatch(/not an invoice.* \/ .*二维码/);
  });
});

describe('inspectInvoice: refusals', () => {
  it('refuses a PNG decompression bomb from its header, fast and without decoding it', async () => {
    const bomb = pngBomb(30_000, 30_000);
    expect(bomb.length).toBeLessThan(500_000);
    const rssBefore = process.memoryUsage().rss;
    const started = performance.now();
    await expectFileRefused(inspectInvoice(bomb, 'image/png'), '30000×30000');
    expect(performance.now() - started).toBeLessThan(1000);
    expect(process.memoryUsage().rss - rssBefore).toBeLessThan(200 * 1024 * 1024);
  });

  it('refuses a JPEG whose header claims too many pixels (sharp metadata, before decoding)', async () => {
    const started = performance.now();
    await expectFileRefused(inspectInvoice(await jpegClaiming(9000, 9000), 'image/jpeg'), '9000×9000');
    expect(performance.now() - started).toBeLessThan(1000);
  });

  it('refuses truncated and garbled JPEGs and PNGs', async () => {
    const jpeg = await renderInvoiceImage({ ...INVOICE, format: 'jpeg' });
    await expectFileRefused(inspectInvoice(jpeg.subarray(0, Math.floor(jpeg.length / 2)), 'image/jpeg'), 'corrupt or truncated');
    await expectFileRefused(inspectInvoice(jpeg.subarray(0, 300), 'image/jpeg'), 'corrupt or truncated');
    const garbled = Buffer.from(jpeg);
    for (let i = 5_000; i < 60_000; i += 7) garbled[i] = (garbled[i]! * 31 + 7) & 0xff;
    await expectFileRefused(inspectInvoice(garbled, 'image/jpeg'), 'corrupt or truncated');
    const png = await renderInvoiceImage({ ...INVOICE, format: 'png' });
    await expectFileRefused(inspectInvoice(png.subarray(0, Math.floor(png.length / 2)), 'image/png'), 'corrupt or truncated');
  });

  it('refuses a PDF with more than pdfMaxPages pages', async () => {
    const bytes = await pdfWith(Array.from({ length: 25 }, () => [595, 842] as [number, number]));
    await expectFileRefused(inspectInvoice(bytes, 'application/pdf'), `25 pages, at most ${FINANCE_LIMITS.pdfMaxPages}`);
  });

  it('refuses a PDF page whose rendering would exceed the pixel limit', async () => {
    const started = performance.now();
    await expectFileRefused(inspectInvoice(await pdfWith([[5000, 5000]]), 'application/pdf'), 'too large to render');
    expect(performance.now() - started).toBeLessThan(1000);
  });

  it('refuses PDFs mupdf cannot open and PDFs cut off in transfer', async () => {
    await expectFileRefused(inspectInvoice(Buffer.from('%PDF-1.7\nnot really a pdf\n%%EOF\n'), 'application/pdf'), 'cannot be opened');
    const pdf = await renderInvoiceImage({ ...INVOICE, format: 'pdf' });
    await expectFileRefused(inspectInvoice(pdf.subarray(0, 3_000), 'application/pdf'), 'incomplete');
  });

  it('refuses types an invoice may not have with 415', async () => {
    const error = await appErrorOf(inspectInvoice(Buffer.from('GIF89a'), 'image/gif'));
    expect(error.code).toBe('UNSUPPORTED_MEDIA_TYPE');
    expect(error.status).toBe(415);
  });
});

describe('renderStamp', () => {
  let stamp: Buffer;
  beforeAll(async () => {
    stamp = await renderStamp('梅山镇人民政府');
  });

  it('is a 240×240 PNG with a transparent background and red ink', async () => {
    const { data, info } = await sharp(stamp).ensureAlpha().raw().toBuffer({ resolveWithObject: true });
    expect(stamp.subarray(1, 4).toString()).toBe('PNG');
    expect([info.width, info.height]).toEqual([240, 240]);
    expect(data[3]).toBe(0); // top-left corner: transparent
    const centre = (120 * 240 + 120) * 4; // the star
    expect(data[centre + 3]).toBeGreaterThan(0);
    expect(data[centre]).toBeGreaterThan(150);
    expect(data[centre + 1]).toBeLessThan(80);
  });

  it('is deterministic for a name, differs between names, and escapes XML', async () => {
    expect((await renderStamp('梅山镇人民政府')).equals(stamp)).toBe(true);
    expect((await renderStamp('洪濑镇人民政府')).equals(stamp)).toBe(false);
    const odd = await renderStamp('<script>&"\'</script>');
    expect((await sharp(odd).metadata()).width).toBe(240);
  });
});

describe('amountInChineseCapitals', () => {
  it.each([
    [128_050, '壹仟贰佰捌拾元伍角整'],
    [100_500, '壹仟零伍元整'],
    [131_892, '壹仟叁佰壹拾捌元玖角贰分'],
    [0, '零元整'],
    [1, '壹分'],
    [50, '伍角整'],
    [10_005, '壹佰元零伍分'],
    [1_000_000, '壹万元整'],
    [1_001_000, '壹万零壹拾元整'],
    [10_010_000, '壹拾万零壹佰元整'],
    [100_000_100, '壹佰万零壹元整'],
    [10_001_000_000, '壹亿零壹万元整'],
    [100_000_000_000, '壹拾亿元整'],
    [123_456_789_012, '壹拾贰亿叁仟肆佰伍拾陆万柒仟捌佰玖拾元壹角贰分'],
  ])('%i fen → %s', (fen, words) => {
    expect(amountInChineseCapitals(fen)).toBe(words);
  });

  it('refuses negative and fractional fen', () => {
    expect(() => amountInChineseCapitals(-1)).toThrow(RangeError);
    expect(() => amountInChineseCapitals(1.5)).toThrow(RangeError);
  });
});
