import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import jsQR from 'jsqr';
import sharp, { type Sharp, type SharpOptions } from 'sharp';
import { FINANCE_LIMITS, INVOICE_MIME_TYPES, parseInvoiceQr, type TInvoiceQrFull, type TQrStatus } from '@cunwu/contract';
import { AppError, invalid } from '../../kernel/errors';

// The image side of an original invoice (原始票据): checks that the stored bytes are a sane image or PDF
// (no decompression bomb, not truncated), makes the thumbnail, and reads the invoice's QR code.

/** A content type an invoice may have. */
export type TInvoiceMimeType = (typeof INVOICE_MIME_TYPES)[number];

/** What `inspectInvoice` found in an uploaded invoice. */
export interface TInvoiceInspection {
  mimeType: TInvoiceMimeType;
  /** Pixels after EXIF rotation for images; page 1's size in PDF points (1/72 inch) for PDFs. */
  width: number | null;
  height: number | null;
  /** Null for images. */
  pageCount: number | null;
  /** JPEG, `FINANCE_LIMITS.thumbnailWidth` wide, upright; page 1 for PDFs. */
  thumbnail: Buffer;
  qrStatus: TQrStatus;
  /** Raw text of the first QR code found (null when none). */
  qrText: string | null;
  /** The parsed payload when it is an invoice's QR code. */
  qr: TInvoiceQrFull | null;
  /** Why the QR code cannot be used, 'english / 中文' (null when decoded). */
  qrMessage: string | null;
}

/** A greyscale raster, one byte per pixel, rows packed. */
interface TGreyImage {
  data: Buffer;
  width: number;
  height: number;
}

/** One try of the QR decoder: a top-left part of the image, scaled to at most `maxSide`. */
interface TQrAttempt {
  /** Fraction of the width and height kept from the top-left corner (1 = whole image). */
  part: number;
  maxSide: number;
  inversion: 'dontInvert' | 'attemptBoth';
}

// Cheapest first: a scanned or rendered invoice decodes on the first try. The QR code of a Chinese
// invoice sits in the top-left corner and is small, so phone photos get that corner at a higher
// resolution, then the whole image larger (an invoice photographed sideways has its code elsewhere),
// then smaller and inverted (jsQR's binariser is sensitive to module size).
const QR_ATTEMPTS: readonly TQrAttempt[] = [
  { part: 1, maxSide: 1600, inversion: 'dontInvert' },
  { part: 1 / 2, maxSide: 1600, inversion: 'dontInvert' },
  { part: 1 / 3, maxSide: 1400, inversion: 'dontInvert' },
  { part: 1, maxSide: 2400, inversion: 'dontInvert' },
  { part: 1, maxSide: 1000, inversion: 'attemptBoth' },
  { part: 1 / 2, maxSide: 1000, inversion: 'attemptBoth' },
];

/** Time for QR attempts per upload (all pages of a PDF together); each view's first attempt always runs. */
const QR_TIME_BUDGET_MS = 1000;

/** PDFs are rendered at this resolution: a printed e-invoice's QR code is about 2 cm wide. */
const PDF_RENDER_DPI = 200;

/** Pages of a PDF searched for a QR code when page 1 has none. */
const PDF_QR_PAGES = 3;

const THUMBNAIL_QUALITY = 80;
/** A thumbnail of a very tall image keeps its top (where an invoice's header is). */
const THUMBNAIL_MAX_HEIGHT = FINANCE_LIMITS.thumbnailWidth * 4;

const NO_QR_MESSAGE = 'no QR code found on the image; type the invoice fields / 未识别到二维码，请手工填写发票信息';
const CORRUPT_IMAGE = 'the image is corrupt or truncated; upload it again / 图片已损坏或不完整，请重新上传';
const CORRUPT_PDF = 'the PDF cannot be opened; upload it again / PDF 文件无法打开，请重新上传';

// failOn 'warning' (sharp's advice for untrusted input): a JPEG whose data libjpeg had to patch up is
// refused rather than kept as evidence with grey bands in it.
const SHARP_INPUT: SharpOptions = { limitInputPixels: FINANCE_LIMITS.invoiceMaxPixels, failOn: 'warning' };

/**
 * Inspect a stored invoice upload (whole file, type sniffed by content): refuse decompression bombs,
 * corrupt images and oversized PDFs with a 4xx, make the thumbnail and read the QR code.
 */
export async function inspectInvoice(bytes: Buffer, mimeType: string): Promise<TInvoiceInspection> {
  if (!isInvoiceMimeType(mimeType)) {
    throw new AppError('UNSUPPORTED_MEDIA_TYPE', `file content is ${mimeType}; allowed: ${INVOICE_MIME_TYPES.join(', ')} / 文件类型不支持`);
  }
  if (mimeType === 'application/pdf') return inspectPdf(bytes);
  return inspectImage(bytes, mimeType);
}

/** Whether a sniffed type is one an invoice may have. */
function isInvoiceMimeType(mimeType: string): mimeType is TInvoiceMimeType {
  return (INVOICE_MIME_TYPES as readonly string[]).includes(mimeType);
}

// ---------- images ----------

/** Inspect a JPEG, PNG or WebP photo or scan. */
async function inspectImage(bytes: Buffer, mimeType: Exclude<TInvoiceMimeType, 'application/pdf'>): Promise<TInvoiceInspection> {
  if (mimeType === 'image/png') assertPixelCount(readPngSize(bytes));
  const size = await readImageSize(bytes);
  assertPixelCount(size);
  const [grey, thumbnail] = await Promise.all([decodeGrey(bytes), makeThumbnail(sharp(bytes, SHARP_INPUT).autoOrient(), size)]);
  const text = await decodeQr(grey, performance.now() + QR_TIME_BUDGET_MS);
  return { mimeType, width: grey.width, height: grey.height, pageCount: null, thumbnail, ...classifyQrText(text) };
}

/**
 * Width and height from a PNG's IHDR chunk, read before any decoder sees the file: a few hundred
 * kilobytes of zlib can claim billions of pixels. Null when the header is not there (sharp decides).
 */
export function readPngSize(bytes: Buffer): { width: number; height: number } | null {
  if (bytes.length < 24 || bytes.toString('latin1', 12, 16) !== 'IHDR') return null;
  return { width: bytes.readUInt32BE(16), height: bytes.readUInt32BE(20) };
}

/**
 * Upright dimensions from the image header. Only the header is read, so no pixel limit applies here:
 * the caller checks the size itself to name it in the error (the decoders keep `limitInputPixels`).
 */
async function readImageSize(bytes: Buffer): Promise<{ width: number; height: number }> {
  try {
    const meta = await sharp(bytes, { ...SHARP_INPUT, limitInputPixels: false }).metadata();
    return { width: meta.autoOrient.width, height: meta.autoOrient.height };
  } catch (error) {
    throw imageError(error);
  }
}

/** Refuse images whose decoded size would exceed the pixel limit. */
function assertPixelCount(size: { width: number; height: number } | null): void {
  if (!size) return;
  if (size.width <= 0 || size.height <= 0) throw invalid('file', CORRUPT_IMAGE);
  if (size.width * size.height > FINANCE_LIMITS.invoiceMaxPixels) throw tooManyPixels(size.width, size.height);
}

/** The 4xx for a decompression bomb or a huge picture. */
function tooManyPixels(width: number, height: number): AppError {
  const millions = FINANCE_LIMITS.invoiceMaxPixels / 1_000_000;
  return invalid('file', `the image is ${width}×${height} pixels, more than ${millions} million; send a smaller picture / 图片像素过大（${width}×${height}，超过${millions * 100}万），请缩小后再上传`);
}

/** Map a sharp failure to the 4xx the uploader sees. */
function imageError(error: unknown): AppError {
  if (error instanceof AppError) return error;
  const message = error instanceof Error ? error.message : String(error);
  if (/pixel limit/i.test(message)) {
    const millions = FINANCE_LIMITS.invoiceMaxPixels / 1_000_000;
    return invalid('file', `the image has more than ${millions} million pixels; send a smaller picture / 图片像素过大，请缩小后再上传`);
  }
  return invalid('file', CORRUPT_IMAGE);
}

/** Decode the whole image upright, transparent parts on white, as greyscale. */
async function decodeGrey(bytes: Buffer): Promise<TGreyImage> {
  try {
    return await toGrey(sharp(bytes, SHARP_INPUT).autoOrient());
  } catch (error) {
    throw imageError(error);
  }
}

/** Run a pipeline to one-byte-per-pixel greyscale. */
async function toGrey(pipeline: Sharp): Promise<TGreyImage> {
  // 8 bits whatever the source (16-bit PNGs would otherwise come out as two bytes per pixel).
  const { data, info } = await pipeline.flatten({ background: '#ffffff' }).greyscale().extractChannel(0).raw({ depth: 'uchar' }).toBuffer({ resolveWithObject: true });
  if (info.channels !== 1 || data.length !== info.width * info.height) throw new Error(`unexpected greyscale raster: ${info.channels} channels, ${data.length} bytes`);
  return { data, width: info.width, height: info.height };
}

/** A JPEG thumbnail `thumbnailWidth` wide of an upright image of `size` (tall images keep their top part). */
async function makeThumbnail(pipeline: Sharp, size: { width: number; height: number }): Promise<Buffer> {
  try {
    const width = FINANCE_LIMITS.thumbnailWidth;
    const height = Math.max(1, Math.min(THUMBNAIL_MAX_HEIGHT, Math.round((size.height * width) / size.width)));
    return await pipeline
      .resize({ width, height, fit: 'cover', position: 'top' })
      .flatten({ background: '#ffffff' })
      .jpeg({ quality: THUMBNAIL_QUALITY })
      .toBuffer();
  } catch (error) {
    throw imageError(error);
  }
}

// ---------- QR codes ----------

/** Classify the text of a QR code (or its absence) for the inspection result. */
export function classifyQrText(text: string | null): Pick<TInvoiceInspection, 'qrStatus' | 'qrText' | 'qr' | 'qrMessage'> {
  if (text === null) return { qrStatus: 'none', qrText: null, qr: null, qrMessage: NO_QR_MESSAGE };
  const parsed = parseInvoiceQr(text);
  if (!parsed.ok) return { qrStatus: 'not_invoice', qrText: text, qr: null, qrMessage: parsed.reason };
  return { qrStatus: 'decoded', qrText: text, qr: parsed.value, qrMessage: null };
}

/**
 * Try the attempts in order and return the first QR code's text. The event loop gets a turn between
 * attempts (jsQR is synchronous, up to ~0.3 s per attempt on a 4 MP view), and the deadline bounds
 * the work on an image without a code: an attempt whose predicted cost (from the speed measured so
 * far) would overrun it is skipped.
 */
async function decodeQr(grey: TGreyImage, deadline: number): Promise<string | null> {
  const tried = new Set<string>();
  let msPerPixel = 0;
  for (const attempt of QR_ATTEMPTS) {
    const size = viewSize(grey, attempt);
    const key = `${size.width}x${size.height}:${attempt.part}:${attempt.inversion}`;
    if (tried.has(key)) continue;
    const passes = attempt.inversion === 'attemptBoth' ? 2 : 1;
    if (tried.size > 0 && performance.now() + msPerPixel * size.width * size.height * passes > deadline) continue;
    tried.add(key);
    const view = await cropAndScale(grey, attempt, size);
    const attemptStarted = performance.now();
    const found = jsQR(greyToRgba(view.data), view.width, view.height, { inversionAttempts: attempt.inversion });
    if (found && found.data.length > 0) return found.data;
    msPerPixel = Math.max(msPerPixel, (performance.now() - attemptStarted) / (view.width * view.height * passes));
    await yieldToEventLoop();
  }
  return null;
}

/** Size of the attempt's view: its top-left part of the image, shrunk to fit `maxSide` (never enlarged). */
function viewSize(grey: TGreyImage, attempt: TQrAttempt): { width: number; height: number; cropWidth: number; cropHeight: number } {
  const cropWidth = Math.max(1, Math.round(grey.width * attempt.part));
  const cropHeight = Math.max(1, Math.round(grey.height * attempt.part));
  const scale = Math.min(1, attempt.maxSide / Math.max(cropWidth, cropHeight));
  return { width: Math.max(1, Math.round(cropWidth * scale)), height: Math.max(1, Math.round(cropHeight * scale)), cropWidth, cropHeight };
}

/** Cut and scale the view of an attempt (the image itself when nothing changes). */
async function cropAndScale(grey: TGreyImage, attempt: TQrAttempt, size: ReturnType<typeof viewSize>): Promise<TGreyImage> {
  if (size.width === grey.width && size.height === grey.height) return grey;
  const { data, info } = await sharp(grey.data, { raw: { width: grey.width, height: grey.height, channels: 1 } })
    .extract({ left: 0, top: 0, width: size.cropWidth, height: size.cropHeight })
    .resize({ width: size.width, height: size.height, fit: 'fill' })
    .extractChannel(0) // sharp would otherwise widen one-channel raw input to sRGB
    .raw()
    .toBuffer({ resolveWithObject: true });
  return { data, width: info.width, height: info.height };
}

/** jsQR takes RGBA. */
function greyToRgba(grey: Buffer): Uint8ClampedArray {
  const rgba = new Uint8ClampedArray(grey.length * 4);
  for (let i = 0, j = 0; i < grey.length; i += 1, j += 4) {
    const v = grey[i]!;
    rgba[j] = v;
    rgba[j + 1] = v;
    rgba[j + 2] = v;
    rgba[j + 3] = 255;
  }
  return rgba;
}

// ---------- PDFs ----------

type TMupdf = typeof import('mupdf');
let mupdfLoading: Promise<TMupdf> | null = null;

// mupdf reports repairs as log lines, not errors. They are collected (instead of going to stderr) while
// a document is opened; opening and counting pages are synchronous, so one buffer serves every call.
const mupdfMessages: string[] = [];
const MUPDF_MESSAGES_MAX = 50;

/** mupdf is WASM (~150 ms to load): loaded on the first PDF, then kept. */
function loadMupdf(): Promise<TMupdf> {
  mupdfLoading ??= import('mupdf').then((mupdf) => {
    mupdf.setLog((message) => {
      if (mupdfMessages.length < MUPDF_MESSAGES_MAX) mupdfMessages.push(message);
    });
    return mupdf;
  });
  return mupdfLoading;
}

/** An RGB raster rendered from a PDF page. */
interface TRgbImage {
  data: Buffer;
  width: number;
  height: number;
}

/** Inspect a PDF (e-invoices): count pages, render page 1 for the thumbnail, look for the QR on the first pages. */
async function inspectPdf(bytes: Buffer): Promise<TInvoiceInspection> {
  const mupdf = await loadMupdf();
  mupdfMessages.length = 0;
  const doc = openPdf(mupdf, bytes);
  try {
    const pageCount = countPdfPages(doc);
    assertNotTruncated();
    const first = renderPdfPage(mupdf, doc, 0);
    const thumbnail = await makeThumbnail(rgbPipeline(first.image), first.image);
    const deadline = performance.now() + QR_TIME_BUDGET_MS;
    let text = await decodeQr(await toGrey(rgbPipeline(first.image)), deadline);
    for (let index = 1; text === null && index < Math.min(pageCount, PDF_QR_PAGES); index += 1) {
      text = await decodeQr(await toGrey(rgbPipeline(renderPdfPage(mupdf, doc, index).image)), deadline);
    }
    return { mimeType: 'application/pdf', width: first.widthPt, height: first.heightPt, pageCount, thumbnail, ...classifyQrText(text) };
  } finally {
    doc.destroy();
  }
}

/** Open the bytes as a PDF, or the 4xx for a file mupdf cannot read or that needs a password. */
function openPdf(mupdf: TMupdf, bytes: Buffer): InstanceType<TMupdf['Document']> {
  let doc: InstanceType<TMupdf['Document']>;
  try {
    doc = mupdf.Document.openDocument(bytes, 'application/pdf');
  } catch {
    throw invalid('file', CORRUPT_PDF);
  }
  if (doc.needsPassword()) {
    doc.destroy();
    throw invalid('file', 'the PDF is password-protected; upload one without a password / PDF 文件有密码保护，请上传无密码的文件');
  }
  return doc;
}

/** The number of pages, refusing empty and overlong documents. */
function countPdfPages(doc: InstanceType<TMupdf['Document']>): number {
  let pageCount: number;
  try {
    pageCount = doc.countPages();
  } catch {
    throw invalid('file', CORRUPT_PDF);
  }
  if (pageCount < 1) throw invalid('file', 'the PDF has no pages / PDF 文件没有页面');
  const max = FINANCE_LIMITS.pdfMaxPages;
  if (pageCount > max) throw invalid('file', `the PDF has ${pageCount} pages, at most ${max} are accepted; upload the invoice pages only / PDF 共 ${pageCount} 页，最多 ${max} 页，请只上传发票页`);
  return pageCount;
}

/**
 * A PDF without its trailer (startxref) was cut off in transfer: mupdf rebuilds it and shows blank or
 * half pages, so it is refused. Other repairs (wrong offsets from sloppy generators) are accepted, as
 * every PDF viewer does.
 */
function assertNotTruncated(): void {
  if (mupdfMessages.some((m) => /cannot find startxref/i.test(m))) {
    throw invalid('file', 'the PDF is incomplete (cut off); download and upload it again / PDF 文件不完整，请重新下载后上传');
  }
}

/** Render one page at `PDF_RENDER_DPI` as packed RGB, refusing pages whose raster would exceed the pixel limit. */
function renderPdfPage(mupdf: TMupdf, doc: InstanceType<TMupdf['Document']>, index: number): { image: TRgbImage; widthPt: number; heightPt: number } {
  let page: ReturnType<InstanceType<TMupdf['Document']>['loadPage']> | null = null;
  let pixmap: InstanceType<TMupdf['Pixmap']> | null = null;
  try {
    page = doc.loadPage(index);
    const [x0, y0, x1, y1] = page.getBounds();
    const widthPt = x1 - x0;
    const heightPt = y1 - y0;
    const scale = PDF_RENDER_DPI / 72;
    if (!(widthPt >= 1 && heightPt >= 1)) throw invalid('file', CORRUPT_PDF);
    const pixels = Math.ceil(widthPt * scale) * Math.ceil(heightPt * scale);
    if (!Number.isFinite(pixels) || pixels > FINANCE_LIMITS.invoiceMaxPixels) {
      throw invalid('file', `page ${index + 1} of the PDF is too large to render (${Math.round(widthPt)}×${Math.round(heightPt)} pt) / PDF 第 ${index + 1} 页尺寸过大，无法处理`);
    }
    pixmap = page.toPixmap(mupdf.Matrix.scale(scale, scale), mupdf.ColorSpace.DeviceRGB, false);
    return { image: packPixmap(pixmap), widthPt: Math.round(widthPt), heightPt: Math.round(heightPt) };
  } catch (error) {
    if (error instanceof AppError) throw error;
    throw invalid('file', CORRUPT_PDF);
  } finally {
    pixmap?.destroy();
    page?.destroy();
  }
}

/** Copy a pixmap out of WASM memory as packed RGB rows (mupdf rows may be padded). */
function packPixmap(pixmap: InstanceType<TMupdf['Pixmap']>): TRgbImage {
  const width = pixmap.getWidth();
  const height = pixmap.getHeight();
  const stride = pixmap.getStride();
  const source = pixmap.getPixels();
  const rowBytes = width * 3;
  const data = Buffer.alloc(rowBytes * height);
  for (let y = 0; y < height; y += 1) data.set(source.subarray(y * stride, y * stride + rowBytes), y * rowBytes);
  return { data, width, height };
}

/** A sharp pipeline over a packed RGB raster. */
function rgbPipeline(image: TRgbImage): Sharp {
  return sharp(image.data, { raw: { width: image.width, height: image.height, channels: 3 } });
}
