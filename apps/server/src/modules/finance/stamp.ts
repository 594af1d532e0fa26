import sharp from 'sharp';

// The round official seal (公章) shown beside a joint-review approval. It is a picture of the unit's
// name, not a signature: the approval's authenticity comes from the ledger, never from this image.

const SIZE = 240;
const CENTRE = SIZE / 2;
const SEAL_RED = '#d7141a';
const FONT_FAMILY = "'Noto Serif CJK SC','Noto Sans CJK SC',serif";

/** Characters of the unit name shown at most (longer names are cut: a seal has room for about 20). */
const NAME_MAX_CHARS = 24;

/** Render the round red seal of a unit (e.g. 梅山镇人民政府) as a 240×240 PNG with a transparent background. */
export async function renderStamp(unitName: string): Promise<Buffer> {
  return sharp(Buffer.from(stampSvg(unitName))).png({ compressionLevel: 9 }).toBuffer();
}

/** The seal as SVG: double ring, five-pointed star, the name along the upper arc. */
export function stampSvg(unitName: string): string {
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${SIZE}" height="${SIZE}" viewBox="0 0 ${SIZE} ${SIZE}">`,
    inkFilter(),
    `<g filter="url(#ink)" fill="${SEAL_RED}" stroke="none">`,
    `<circle cx="${CENTRE}" cy="${CENTRE}" r="111" fill="none" stroke="${SEAL_RED}" stroke-width="7"/>`,
    `<circle cx="${CENTRE}" cy="${CENTRE}" r="103" fill="none" stroke="${SEAL_RED}" stroke-width="1.6"/>`,
    `<path d="${starPath(CENTRE, CENTRE, 34)}"/>`,
    arcText(unitName),
    '</g>',
    '</svg>',
  ].join('');
}

/** Uneven ink, as a seal pressed on paper (a fixed seed keeps the output deterministic). */
function inkFilter(): string {
  return [
    '<defs><filter id="ink" x="0" y="0" width="100%" height="100%">',
    '<feTurbulence type="fractalNoise" baseFrequency="0.45" numOctaves="3" seed="7" result="noise"/>',
    '<feColorMatrix in="noise" type="matrix" values="0 0 0 0 0  0 0 0 0 0  0 0 0 0 0  0 0 0 -5 3.9" result="speckle"/>',
    '<feComposite in="SourceGraphic" in2="speckle" operator="in"/>',
    '</filter></defs>',
  ].join('');
}

/** A five-pointed star centred on (cx, cy), one point up. */
function starPath(cx: number, cy: number, outer: number): string {
  const inner = outer * 0.382;
  const points: string[] = [];
  for (let i = 0; i < 10; i += 1) {
    const radius = i % 2 === 0 ? outer : inner;
    const angle = -Math.PI / 2 + (i * Math.PI) / 5;
    points.push(`${(cx + radius * Math.cos(angle)).toFixed(2)},${(cy + radius * Math.sin(angle)).toFixed(2)}`);
  }
  return `M${points.join('L')}Z`;
}

/**
 * The name set character by character along the upper arc, each glyph upright towards the rim.
 * Per-glyph rotation rather than textPath: librsvg (sharp's SVG renderer) lays textPath out poorly.
 */
function arcText(unitName: string): string {
  const chars = [...unitName.trim()].slice(0, NAME_MAX_CHARS);
  if (chars.length === 0) return '';
  const step = chars.length > 1 ? Math.min(34, 250 / (chars.length - 1)) : 0;
  const span = step * (chars.length - 1);
  const radius = 78;
  const fontSize = Math.max(13, Math.min(34, ((step * Math.PI) / 180) * radius * 0.95 || 34));
  const glyphY = CENTRE - radius;
  return chars
    .map((char, i) => {
      const angle = -span / 2 + i * step;
      // Seal lettering is condensed and tall: squeeze each glyph around its own centre.
      const squeeze = `translate(${CENTRE} ${glyphY.toFixed(2)}) scale(0.82 1.12) translate(${-CENTRE} ${(-glyphY).toFixed(2)})`;
      return `<text x="${CENTRE}" y="${glyphY.toFixed(2)}" transform="rotate(${angle.toFixed(2)} ${CENTRE} ${CENTRE}) ${squeeze}" font-family="${FONT_FAMILY}" font-weight="bold" font-size="${fontSize.toFixed(1)}" text-anchor="middle" dominant-baseline="central">${escapeXml(char)}</text>`;
    })
    .join('');
}

/** Escape text for an XML text node or attribute. */
function escapeXml(text: string): string {
  return text.replace(/[<>&'"]/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', "'": '&apos;', '"': '&quot;' })[c]!);
}
