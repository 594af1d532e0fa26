import { invalid } from './errors';

const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** An opaque keyset cursor of a (time, id) position: what every "newest first" list pages on. */
export function encodeTimeCursor(position: { at: Date | string; id: string }): string {
  const at = typeof position.at === 'string' ? position.at : position.at.toISOString();
  return Buffer.from(JSON.stringify([at, position.id])).toString('base64url');
}

/** Read a time cursor back; anything not made by `encodeTimeCursor` is a 400 naming `field`. */
export function decodeTimeCursor(cursor: string, field = 'cursor'): { at: string; id: string } {
  const [at, id] = decodeParts(cursor, field, 2);
  if (Number.isNaN(Date.parse(at!)) || !UUID_RE.test(id!)) throw invalid(field, 'not a cursor from this API / 游标无效');
  return { at: at!, id: id! };
}

/** An opaque cursor of any ordered key (e.g. region code, household number, id). */
export function encodeKeyCursor(parts: string[]): string {
  return Buffer.from(JSON.stringify(parts)).toString('base64url');
}

/** Read a key cursor of `count` string parts. */
export function decodeKeyCursor(cursor: string, count: number, field = 'cursor'): string[] {
  return decodeParts(cursor, field, count);
}

function decodeParts(cursor: string, field: string, count: number): string[] {
  let parts: unknown;
  try {
    parts = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw invalid(field, 'not a cursor from this API / 游标无效');
  }
  if (!Array.isArray(parts) || parts.length !== count || parts.some((p) => typeof p !== 'string' || p.length > 200)) throw invalid(field, 'not a cursor from this API / 游标无效');
  return parts as string[];
}
