import { createHash } from 'node:crypto';
import QRCode from 'qrcode';
import sharp from 'sharp';

// Pictures of Chinese VAT e-invoices (增值税电子普通发票) for the demo seed and the finance tests: the
// classic layout with a real, decodable QR payload, as a clean scan, a phone photo or a PDF.

/** What to print on a demo invoice. */
export interface TDemoInvoice {
  /** Invoice type: 10 电子普通发票 (default), 04 普通发票, 01 专用发票, 32 全电发票 (no code, 20-digit number). */
  kind?: '10' | '04' | '01' | '32';
  code: string;
  number: string;
  /** YYYY-MM-DD. */
  date: string;
  /** Amount before tax, in fen. */
  amountFen: number;
  taxFen?: number;
  sellerName: string;
  sellerTaxId: string;
  buyerName: string;
  items: { name: string; amountFen: number }[];
  /** 20 digits; derived from the number when absent. */
  checkCode?: string;
  format: 'jpeg' | 'png' | 'pdf';
  /** Look like a phone photo: tilted off-white paper on a grey table, JPEG quality 80. */
  photo?: boolean;
}

// The invoice is drawn in 0.1 mm units: the classic e-invoice is 240 × 140 mm.
const PAGE_W = 2400;
const PAGE_H = 1400;
const INK = '#8a3b12';
const PRINT = '#111111';
const SEAL = '#e0261d';
const SERIF = "'Noto Serif CJK SC','Noto Sans CJK SC',serif";
const MONO = "'DejaVu Sans Mono','Noto Sans Mono CJK SC',monospace";

/** Scan resolution of png/jpeg output (about 190 dpi) and of the image inside a PDF (about 250 dpi). */
const SCAN_WIDTH = 1800;
const PDF_IMAGE_WIDTH = 2400;
const MM_TO_PT = 72 / 25.4;

/** Draw a demo invoice as JPEG, PNG or PDF bytes. */
export async function renderInvoiceImage(input: TDemoInvoice): Promise<Buffer> {
  const svg = invoiceSvg(input);
  if (input.photo) return renderPhoto(svg, input);
  if (input.format === 'pdf') return renderPdf(svg);
  const scan = sharp(Buffer.from(pageSvg(svg, '#ffffff'))).resize({ width: SCAN_WIDTH });
  return input.format === 'png' ? scan.png().toBuffer() : scan.jpeg({ quality: 90 }).toBuffer();
}

/** The text of the QR code printed on the invoice: `01,kind,code,number,amount,YYYYMMDD,check code,hash,`. */
export function invoiceQrPayload(input: TDemoInvoice): string {
  const kind = input.kind ?? '10';
  return ['01', kind, input.code, input.number, fenToPlainYuan(input.amountFen), input.date.replace(/-/g, ''), checkCodeOf(input), hexTail(input), ''].join(',');
}

// ---------- money in words ----------

const DIGITS = ['零', '壹', '贰', '叁', '肆', '伍', '陆', '柒', '捌', '玖'];
const IN_GROUP = ['', '拾', '佰', '仟'];
const GROUPS = ['', '万', '亿', '万亿'];

/** Fen as the capitals of 价税合计（大写）: 128050 → 壹仟贰佰捌拾元伍角整, 100500 → 壹仟零伍元整. */
export function amountInChineseCapitals(fen: number): string {
  if (!Number.isSafeInteger(fen) || fen < 0) throw new RangeError(`not an amount in fen: ${fen}`);
  const yuan = Math.floor(fen / 100);
  const jiao = Math.floor(fen / 10) % 10;
  const cents = fen % 10;
  const head = yuan > 0 ? `${yuanInCapitals(yuan)}元` : '';
  if (jiao === 0 && cents === 0) return `${head || '零元'}整`;
  const jiaoText = jiao > 0 ? `${DIGITS[jiao]}角` : head ? '零' : '';
  const fenText = cents > 0 ? `${DIGITS[cents]}分` : '整';
  return `${head}${jiaoText}${fenText}`;
}

/** Whole yuan (> 0) in capitals, zeros collapsed: 10010 → 壹万零壹拾. */
function yuanInCapitals(yuan: number): string {
  const digits = String(yuan);
  let out = '';
  let pendingZero = false;
  let groupHasDigit = false;
  for (let i = 0; i < digits.length; i += 1) {
    const digit = Number(digits[i]);
    const position = digits.length - 1 - i;
    if (digit === 0) pendingZero = out !== '';
    else {
      if (pendingZero) out += '零';
      out += DIGITS[digit]! + IN_GROUP[position % 4]!;
      pendingZero = false;
      groupHasDigit = true;
    }
    if (position % 4 === 0 && position > 0) {
      if (groupHasDigit) out += GROUPS[position / 4]!;
      groupHasDigit = false;
    }
  }
  return out;
}

// ---------- the invoice drawing ----------

/** Fen as '1280.50' (invoices print no thousands separators). */
function fenToPlainYuan(fen: number): string {
  return `${Math.floor(fen / 100)}.${String(fen % 100).padStart(2, '0')}`;
}

/** Deterministic digits derived from the invoice (check code, machine number, cipher area). */
function digest(input: TDemoInvoice, salt: string): string {
  return createHash('sha256').update(`${salt}|${input.code}|${input.number}|${input.date}|${input.amountFen}`).digest('hex');
}

/** The 20-digit check code (校验码), given or derived. */
function checkCodeOf(input: TDemoInvoice): string {
  if (input.checkCode !== undefined) return input.checkCode;
  if (input.kind === '01' || input.kind === '32') return '';
  return BigInt(`0x${digest(input, 'check')}`).toString().slice(0, 20);
}

/** The 4 hex characters ending the real payload. */
function hexTail(input: TDemoInvoice): string {
  return digest(input, 'tail').slice(0, 4).toUpperCase();
}

/** Escape text for SVG. */
function escapeXml(text: string): string {
  return text.replace(/[<>&'"]/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', "'": '&apos;', '"': '&quot;' })[c]!);
}

/** One SVG text element. */
function text(x: number, y: number, content: string, options: { size?: number; fill?: string; anchor?: 'start' | 'middle' | 'end'; family?: string; weight?: string; spacing?: number } = {}): string {
  const { size = 30, fill = PRINT, anchor = 'start', family = SERIF, weight = 'normal', spacing = 0 } = options;
  return `<text x="${x}" y="${y}" font-family="${family}" font-size="${size}" font-weight="${weight}" fill="${fill}" text-anchor="${anchor}" letter-spacing="${spacing}">${escapeXml(content)}</text>`;
}

/** A label stacked vertically (购买方, 销售方, 密码区 …) centred in a column. */
function verticalLabel(cx: number, top: number, bottom: number, label: string): string {
  const chars = [...label];
  const step = (bottom - top) / (chars.length + 1);
  return chars.map((c, i) => text(cx, top + step * (i + 1) + 11, c, { size: 32, fill: INK, anchor: 'middle' })).join('');
}

/** A straight rule in the invoice's brown ink. */
function line(x1: number, y1: number, x2: number, y2: number, width = 2.5): string {
  return `<line x1="${x1}" y1="${y1}" x2="${x2}" y2="${y2}" stroke="${INK}" stroke-width="${width}"/>`;
}

/** The QR code as one path of dark modules, `size` wide with its top-left at (x, y). */
function qrSvg(payload: string, x: number, y: number, size: number): string {
  const { modules } = QRCode.create(payload, { errorCorrectionLevel: 'M' });
  const cell = size / modules.size;
  const parts: string[] = [];
  for (let row = 0; row < modules.size; row += 1) {
    for (let col = 0; col < modules.size; col += 1) {
      if (modules.data[row * modules.size + col]) parts.push(`M${(x + col * cell).toFixed(2)} ${(y + row * cell).toFixed(2)}h${cell.toFixed(2)}v${cell.toFixed(2)}h${(-cell).toFixed(2)}z`);
    }
  }
  return `<path d="${parts.join('')}" fill="#000000" shape-rendering="crispEdges"/>`;
}

/** Glyphs set along the upper part of an ellipse, evenly by arc length, each upright towards the rim (seal lettering). */
function ellipseText(cx: number, cy: number, rx: number, ry: number, content: string, size: number, sweepDeg: number): string {
  const chars = [...content];
  const angles = evenArcAngles(rx, ry, 270 - sweepDeg / 2, 270 + sweepDeg / 2, chars.length);
  return chars
    .map((c, i) => {
      const t = (angles[i]! * Math.PI) / 180;
      const x = cx + rx * Math.cos(t);
      const y = cy + ry * Math.sin(t);
      const angle = (Math.atan2(ry * Math.cos(t), -rx * Math.sin(t)) * 180) / Math.PI;
      return `<text x="${x.toFixed(1)}" y="${y.toFixed(1)}" transform="rotate(${angle.toFixed(1)} ${x.toFixed(1)} ${y.toFixed(1)})" font-family="${SERIF}" font-weight="bold" font-size="${size}" fill="${SEAL}" text-anchor="middle" dominant-baseline="central">${escapeXml(c)}</text>`;
    })
    .join('');
}

/** `count` parameter angles (degrees) from `from` to `to` on an ellipse, equally spaced along its arc. */
function evenArcAngles(rx: number, ry: number, from: number, to: number, count: number): number[] {
  if (count <= 1) return [(from + to) / 2];
  const steps = 360;
  const lengths = [0];
  for (let i = 1; i <= steps; i += 1) {
    const a = ((from + ((to - from) * (i - 0.5)) / steps) * Math.PI) / 180;
    const speed = Math.hypot(rx * Math.sin(a), ry * Math.cos(a));
    lengths.push(lengths[i - 1]! + (speed * ((to - from) * Math.PI)) / 180 / steps);
  }
  const total = lengths[steps]!;
  return Array.from({ length: count }, (_, k) => {
    const target = (total * k) / (count - 1);
    const i = Math.max(1, lengths.findIndex((l) => l >= target - 1e-9));
    return from + ((to - from) * i) / steps;
  });
}

/** The seller's oval invoice seal (发票专用章): name on the arc, tax id across, 发票专用章 below. */
function sellerSeal(cx: number, cy: number, input: TDemoInvoice): string {
  const name = [...input.sellerName].slice(0, 22).join('');
  // About 470 units of arc for the name: glyphs fill 80 % of their share, like a carved seal.
  const size = Math.min(34, Math.max(18, Math.round((470 * 0.8) / Math.max(1, [...name].length))));
  return [
    `<g opacity="0.82">`,
    `<ellipse cx="${cx}" cy="${cy}" rx="220" ry="145" fill="none" stroke="${SEAL}" stroke-width="7"/>`,
    ellipseText(cx, cy, 182, 110, name, size, 184),
    text(cx, cy + 20, input.sellerTaxId, { size: 26, fill: SEAL, anchor: 'middle', family: MONO, weight: 'bold' }),
    text(cx, cy + 96, '发票专用章', { size: 36, fill: SEAL, anchor: 'middle', weight: 'bold' }),
    '</g>',
  ].join('');
}

/** The tax bureau's supervision seal printed on the title (全国统一发票监制章). */
function supervisionSeal(cx: number, cy: number): string {
  return [
    `<g opacity="0.75">`,
    `<ellipse cx="${cx}" cy="${cy}" rx="165" ry="102" fill="none" stroke="${SEAL}" stroke-width="5"/>`,
    ellipseText(cx, cy, 138, 78, '全国统一发票监制章', 22, 130),
    text(cx, cy + 40, '国家税务总局', { size: 22, fill: SEAL, anchor: 'middle' }),
    text(cx, cy + 68, '福建省税务局', { size: 20, fill: SEAL, anchor: 'middle' }),
    '</g>',
  ].join('');
}

/** 2026-04-15 → 2026年04月15日. */
function dateInChinese(date: string): string {
  const [y, m, d] = date.split('-');
  return `${y}年${m}月${d}日`;
}

/** The title by invoice type. */
function titleOf(kind: TDemoInvoice['kind']): string {
  switch (kind) {
    case '01':
      return '福建增值税专用发票';
    case '04':
      return '福建增值税普通发票';
    case '32':
      return '电子发票（普通发票）';
    default:
      return '福建增值税电子普通发票';
  }
}

/** Header: QR code top-left, title with the supervision seal, code/number/date/check code top-right. */
function headerSvg(input: TDemoInvoice): string {
  const check = checkCodeOf(input);
  const fields: [string, string][] = [];
  if (input.code) fields.push(['发票代码：', input.code]);
  fields.push(['发票号码：', input.number], ['开票日期：', dateInChinese(input.date)]);
  if (check) fields.push(['校验码：', check.replace(/(\d{5})(?=\d)/g, '$1 ')]);
  return [
    qrSvg(invoiceQrPayload(input), 70, 40, 200),
    text(70, 290, `机器编号：${BigInt(`0x${digest(input, 'machine')}`).toString().slice(0, 12)}`, { size: 24, fill: INK }),
    text(1200, 135, titleOf(input.kind), { size: 66, fill: INK, anchor: 'middle', weight: 'bold', spacing: 6 }),
    supervisionSeal(1200, 105),
    line(880, 165, 1520, 165, 3),
    line(880, 175, 1520, 175, 3),
    ...fields.map(([label, value], i) => text(1640, 80 + i * 52, label, { size: 28, fill: INK }) + text(1800, 80 + i * 52, value, { size: 28, family: MONO })),
  ].join('');
}

/** A party box (购买方 or 销售方): name, tax id, address, bank. */
function partySvg(top: number, bottom: number, label: string, name: string, taxId: string): string {
  const rows: [string, string][] = [['名称：', name], ['纳税人识别号：', taxId], ['地址、电话：', ''], ['开户行及账号：', '']];
  const step = (bottom - top) / 4;
  return [
    verticalLabel(95, top, bottom, label),
    line(130, top, 130, bottom),
    ...rows.map(([k, v], i) => text(145, top + step * i + step * 0.68, k, { size: 28, fill: INK }) + text(360, top + step * i + step * 0.68, v, { size: 30, family: i === 1 ? MONO : SERIF })),
  ].join('');
}

/** The 密码区 beside the buyer: four lines of cipher characters (deterministic noise). */
function cipherSvg(input: TDemoInvoice, top: number): string {
  const alphabet = '0123456789+-*/<>';
  const hex = digest(input, 'cipher') + digest(input, 'cipher2') + digest(input, 'cipher3') + digest(input, 'cipher4');
  const lines = [0, 1, 2, 3].map((i) => [...hex.slice(i * 28, i * 28 + 28)].map((h) => alphabet[parseInt(h, 16)]).join(''));
  return [
    line(1540, top, 1540, top + 220),
    line(1600, top, 1600, top + 220),
    verticalLabel(1570, top, top + 220, '密码区'),
    ...lines.map((l, i) => text(1615, top + 50 + i * 48, l, { size: 30, family: MONO })),
  ].join('');
}

/** Column layout of the item table: [left edge, label]. */
const COLUMNS: [number, string][] = [
  [60, '货物或应税劳务、服务名称'],
  [760, '规格型号'],
  [1000, '单位'],
  [1130, '数量'],
  [1290, '单价'],
  [1560, '金额'],
  [1880, '税率'],
  [2030, '税额'],
];
const TABLE_RIGHT = 2340;

/** Right edge of a column. */
function columnRight(index: number): number {
  return COLUMNS[index + 1]?.[0] ?? TABLE_RIGHT;
}

/** Items with per-line tax (the tax spread pro rata, the remainder on the last line). */
function itemsSvg(input: TDemoInvoice, top: number, bottom: number): string {
  const taxFen = input.taxFen ?? 0;
  const rate = input.amountFen > 0 && taxFen > 0 ? `${Math.round((taxFen * 100) / input.amountFen)}%` : '免税';
  let taxLeft = taxFen;
  const rows = input.items.slice(0, 8).map((item, i, all) => {
    const tax = i === all.length - 1 ? taxLeft : Math.round((item.amountFen * taxFen) / Math.max(1, input.amountFen));
    taxLeft -= tax;
    const y = top + 100 + i * 46;
    const values = [`*${item.name}`, '', '项', '1', fenToPlainYuan(item.amountFen), fenToPlainYuan(item.amountFen), rate, taxFen > 0 ? fenToPlainYuan(tax) : '***'];
    return values.map((v, c) => (c === 0 ? text(75, y, v, { size: 28 }) : text(columnRight(c) - 14, y, v, { size: 28, anchor: 'end', family: c >= 3 && c !== 6 ? MONO : SERIF }))).join('');
  });
  return [
    ...COLUMNS.map(([x, label], c) => text((x + columnRight(c)) / 2, top + 42, label, { size: 27, fill: INK, anchor: 'middle' })),
    ...rows,
    text(280, bottom - 22, '合计', { size: 30, fill: INK, anchor: 'middle', spacing: 60 }),
    text(columnRight(5) - 14, bottom - 22, `¥${fenToPlainYuan(input.amountFen)}`, { size: 30, anchor: 'end', family: MONO }),
    text(TABLE_RIGHT - 14, bottom - 22, taxFen > 0 ? `¥${fenToPlainYuan(taxFen)}` : '***', { size: 30, anchor: 'end', family: MONO }),
  ].join('');
}

/** 价税合计: the total in capitals and in figures. */
function totalSvg(input: TDemoInvoice, top: number, bottom: number): string {
  const total = input.amountFen + (input.taxFen ?? 0);
  const y = (top + bottom) / 2 + 11;
  return [
    text(75, y, '价税合计（大写）', { size: 30, fill: INK }),
    line(460, top, 460, bottom),
    text(490, y, `⊗ ${amountInChineseCapitals(total)}`, { size: 32, weight: 'bold' }),
    text(1640, y, '（小写）', { size: 30, fill: INK }),
    text(1770, y, `¥${fenToPlainYuan(total)}`, { size: 32, family: MONO, weight: 'bold' }),
  ].join('');
}

/** The whole invoice in 0.1 mm units (no background: the caller chooses paper or table). */
export function invoiceSvg(input: TDemoInvoice): string {
  const frame = { top: 310, buyerBottom: 530, itemsBottom: 960, totalBottom: 1030, bottom: 1260 };
  return [
    headerSvg(input),
    `<rect x="60" y="${frame.top}" width="${TABLE_RIGHT - 60}" height="${frame.bottom - frame.top}" fill="none" stroke="${INK}" stroke-width="4"/>`,
    partySvg(frame.top, frame.buyerBottom, '购买方', input.buyerName, ''),
    input.kind === '32' ? '' : cipherSvg(input, frame.top),
    line(60, frame.buyerBottom, TABLE_RIGHT, frame.buyerBottom),
    ...COLUMNS.slice(1).map(([x]) => line(x, frame.buyerBottom, x, frame.itemsBottom - 70, 1.5)),
    line(60, frame.itemsBottom - 70, TABLE_RIGHT, frame.itemsBottom - 70, 1.5),
    itemsSvg(input, frame.buyerBottom, frame.itemsBottom),
    line(60, frame.itemsBottom, TABLE_RIGHT, frame.itemsBottom),
    totalSvg(input, frame.itemsBottom, frame.totalBottom),
    line(60, frame.totalBottom, TABLE_RIGHT, frame.totalBottom),
    partySvg(frame.totalBottom, frame.bottom, '销售方', input.sellerName, input.sellerTaxId),
    line(1540, frame.totalBottom, 1540, frame.bottom),
    line(1600, frame.totalBottom, 1600, frame.bottom),
    verticalLabel(1570, frame.totalBottom, frame.bottom, '备注'),
    text(80, 1320, '收款人：李梅', { size: 28, fill: INK }),
    text(520, 1320, '复核：陈建华', { size: 28, fill: INK }),
    text(960, 1320, '开票人：王芳', { size: 28, fill: INK }),
    text(1900, 1320, '销售方：（章）', { size: 28, fill: INK }),
    sellerSeal(1950, 1150, input),
  ].join('');
}

/** The invoice alone on a page of the given paper colour, as a complete SVG document. */
function pageSvg(inner: string, paper: string): string {
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${PAGE_W}" height="${PAGE_H}" viewBox="0 0 ${PAGE_W} ${PAGE_H}"><rect width="100%" height="100%" fill="${paper}"/>${inner}</svg>`;
}

// ---------- outputs ----------

/** Photo size: a 4:3 phone picture about 2000 px wide. */
const PHOTO_W = 2000;
const PHOTO_H = 1500;

/**
 * The invoice as a phone photo: off-white paper tilted by 2–4° (fixed per invoice) with a soft
 * shadow on a grey table, uneven light and grain, slightly soft, JPEG quality 80.
 */
async function renderPhoto(inner: string, input: TDemoInvoice): Promise<Buffer> {
  const tilt = (2 + (parseInt(digest(input, 'tilt').slice(0, 4), 16) / 0xffff) * 2) * (parseInt(digest(input, 'sign').slice(0, 1), 16) % 2 === 0 ? 1 : -1);
  const scale = 0.8;
  const paperW = PAGE_W * scale;
  const paperH = PAGE_H * scale;
  const svg = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${PHOTO_W}" height="${PHOTO_H}" viewBox="0 0 ${PHOTO_W} ${PHOTO_H}">`,
    '<defs>',
    '<radialGradient id="table" cx="35%" cy="30%" r="90%"><stop offset="0" stop-color="#9a9792"/><stop offset="1" stop-color="#5f5c58"/></radialGradient>',
    '<linearGradient id="light" x1="0" y1="0" x2="1" y2="1"><stop offset="0" stop-color="#ffffff" stop-opacity="0"/><stop offset="1" stop-color="#3a3020" stop-opacity="0.16"/></linearGradient>',
    '<filter id="shadow" x="-10%" y="-10%" width="120%" height="120%"><feGaussianBlur stdDeviation="14"/></filter>',
    '<filter id="grain" x="0" y="0" width="100%" height="100%"><feTurbulence type="fractalNoise" baseFrequency="0.8" numOctaves="1" seed="3"/><feColorMatrix type="matrix" values="0 0 0 0 0.5  0 0 0 0 0.5  0 0 0 0 0.5  0 0 0 0.10 0"/></filter>',
    '</defs>',
    '<rect width="100%" height="100%" fill="url(#table)"/>',
    `<g transform="translate(${PHOTO_W / 2} ${PHOTO_H / 2}) rotate(${tilt.toFixed(2)}) translate(${-paperW / 2} ${-paperH / 2})">`,
    `<rect x="14" y="18" width="${paperW}" height="${paperH}" fill="#000000" opacity="0.45" filter="url(#shadow)"/>`,
    `<rect width="${paperW}" height="${paperH}" fill="#f3efe4"/>`,
    `<g transform="scale(${scale})">${inner}</g>`,
    `<rect width="${paperW}" height="${paperH}" fill="url(#light)"/>`,
    '</g>',
    '<rect width="100%" height="100%" filter="url(#grain)"/>',
    '</svg>',
  ].join('');
  return sharp(Buffer.from(svg)).blur(0.8).jpeg({ quality: 80 }).toBuffer();
}

/** A one-page PDF (240 × 140 mm) holding the invoice as an image, built with mupdf. */
async function renderPdf(inner: string): Promise<Buffer> {
  const png = await sharp(Buffer.from(pageSvg(inner, '#ffffff'))).resize({ width: PDF_IMAGE_WIDTH }).png().toBuffer();
  const mupdf = await import('mupdf');
  const doc = new mupdf.PDFDocument();
  const image = new mupdf.Image(png);
  try {
    const width = 240 * MM_TO_PT;
    const height = 140 * MM_TO_PT;
    const resources = { XObject: { Invoice: doc.addImage(image) } };
    const contents = `q ${width.toFixed(2)} 0 0 ${height.toFixed(2)} 0 0 cm /Invoice Do Q`;
    doc.insertPage(-1, doc.addPage([0, 0, width, height], 0, resources, contents));
    return Buffer.from(doc.saveToBuffer('compress').asUint8Array());
  } finally {
    image.destroy();
    doc.destroy();
  }
}
