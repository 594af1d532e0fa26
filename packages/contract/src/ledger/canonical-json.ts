/**
 * RFC 8785 JSON Canonicalization Scheme (JCS). Ledger entries are hashed as their canonical
 * JSON text, so the server and any browser must produce the very same bytes for the same value.
 */

/** A JSON value as JCS understands it. */
export type TJsonValue = null | boolean | number | string | TJsonValue[] | { [key: string]: TJsonValue };

/** A lone UTF-16 surrogate cannot be encoded as UTF-8, and RFC 8785 requires I-JSON (RFC 7493). */
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

function serializeString(s: string, path: string): string {
  if (LONE_SURROGATE.test(s)) throw new Error(`canonicalJson: lone surrogate in string at ${path}`);
  // JSON.stringify escapes exactly what RFC 8785 §3.2.2.2 requires: '"', '\\', and U+0000..U+001F
  // (\b \t \n \f \r as short forms, the rest as lowercase \u00xx); everything else stays literal.
  return JSON.stringify(s);
}

function serializeNumber(n: number, path: string): string {
  if (!Number.isFinite(n)) throw new Error(`canonicalJson: non-finite number at ${path}`);
  // RFC 8785 §3.2.2.3 is ECMAScript Number::toString; -0 serialises as "0" (String(-0) === "0").
  return String(n);
}

function isPlainObject(v: object): boolean {
  const proto: unknown = Object.getPrototypeOf(v);
  return proto === Object.prototype || proto === null;
}

function serialize(value: unknown, path: string, seen: Set<object>): string {
  if (value === null) return 'null';
  switch (typeof value) {
    case 'boolean':
      return value ? 'true' : 'false';
    case 'number':
      return serializeNumber(value, path);
    case 'string':
      return serializeString(value, path);
    case 'object':
      break;
    default:
      // undefined, function, bigint, symbol: no JSON representation (JSON.stringify would drop or throw).
      throw new Error(`canonicalJson: unsupported ${typeof value} at ${path}`);
  }
  const obj = value as object;
  if (seen.has(obj)) throw new Error(`canonicalJson: cycle at ${path}`);
  seen.add(obj);
  try {
    if (Array.isArray(obj)) {
      const parts: string[] = [];
      // Index loop, not map: map skips holes, and a hole is an undefined that must be rejected.
      for (let i = 0; i < obj.length; i++) parts.push(serialize(obj[i], `${path}[${i}]`, seen));
      return `[${parts.join(',')}]`;
    }
    if (!isPlainObject(obj)) {
      // Date, Map, class instances…: their JSON form depends on toJSON and is not a JSON value.
      throw new Error(`canonicalJson: non-plain object at ${path}`);
    }
    const record = obj as Record<string, unknown>;
    // Default sort compares UTF-16 code units, which is exactly RFC 8785 §3.2.3.
    const keys = Object.keys(record).sort();
    const parts: string[] = [];
    for (const key of keys) {
      const childPath = `${path}.${key}`;
      parts.push(`${serializeString(key, childPath)}:${serialize(record[key], childPath, seen)}`);
    }
    return `{${parts.join(',')}}`;
  } finally {
    seen.delete(obj);
  }
}

/** RFC 8785 canonical JSON text of a JSON value; throws a descriptive Error on anything that is not one. */
export function canonicalJson(value: unknown): string {
  return serialize(value, '$', new Set());
}
