import { describe, expect, test } from 'vitest';
import { canonicalJson } from './canonical-json';

describe('canonicalJson (RFC 8785)', () => {
  test('RFC 8785 §3.2.3 property sorting example (UTF-16 code units)', () => {
    const input = JSON.parse(
      '{"\\u20ac":"Euro Sign","\\r":"Carriage Return","\\ufb33":"Hebrew Letter Dalet With Dagesh","1":"One",' +
        '"\\ud83d\\ude00":"Emoji: Grinning Face","\\u0080":"Control","\\u00f6":"Latin Small Letter O With Diaeresis"}',
    ) as unknown;
    // Expected order: "\r", "1", "\u0080", "\u00f6", "\u20ac", "\ud83d\ude00", "\ufb33" (checked on the text:
    // Object.keys would list the integer-like "1" first).
    expect(canonicalJson(input)).toBe(
      '{"\\r":"Carriage Return","1":"One","\u0080":"Control","\u00f6":"Latin Small Letter O With Diaeresis",' +
        '"\u20ac":"Euro Sign","\ud83d\ude00":"Emoji: Grinning Face","\ufb33":"Hebrew Letter Dalet With Dagesh"}',
    );
  });

  // cyberphone/json-canonicalization (the RFC 8785 author's reference) testdata/input|output/values.json
  test('reference vector values.json (numbers, escaping, literals)', () => {
    const input =
      '{\n  "numbers": [1E30, 4.50, 333333333.33333329, 2e-3, 0.000000000000000000000000001],\n' +
      '  "escaping": "\\u20ac$\\u000F\\u000aA\'\\u0042\\u0022\\u005c\\\\\\"\\/",\n  "literals": [null, true, false]\n}';
    expect(canonicalJson(JSON.parse(input))).toBe(
      '{"escaping":"€$\\u000f\\nA\'B\\"\\\\\\\\\\"/","literals":[null,true,false],"numbers":[1e+30,4.5,333333333.3333333,0.002,1e-27]}',
    );
  });

  // cyberphone/json-canonicalization testdata/input|output/weird.json
  test('reference vector weird.json (non-ASCII keys, literal U+0080/U+007F)', () => {
    const input =
      '{"\\u20ac":"Euro Sign","1":"One","\\u0080":"Control\\u007f","\\ud83d\\ude02":"Smiley",' +
      '"\\u00f6":"Latin Small Letter O With Diaeresis","\\ufb33":"Hebrew Letter Dalet With Dagesh","</script>":"Browser Challenge"}';
    expect(canonicalJson(JSON.parse(input))).toBe(
      '{"1":"One","</script>":"Browser Challenge","\u0080":"Control\u007f","ö":"Latin Small Letter O With Diaeresis",' +
        '"€":"Euro Sign","😂":"Smiley","\ufb33":"Hebrew Letter Dalet With Dagesh"}',
    );
  });

  test('number formatting follows ECMAScript Number::toString', () => {
    const cases: Array<[number, string]> = [
      [1e30, '1e+30'],
      [4.5, '4.5'],
      [0.002, '0.002'],
      [1e-7, '1e-7'],
      [-0, '0'],
      [0, '0'],
      [1e21, '1e+21'],
      [1e20, '100000000000000000000'],
      [5e-324, '5e-324'],
      [-1.7976931348623157e308, '-1.7976931348623157e+308'],
      [9007199254740991, '9007199254740991'],
      [0.000001, '0.000001'],
    ];
    for (const [n, s] of cases) expect(canonicalJson(n)).toBe(s);
  });

  test('nesting, arrays keep order, no whitespace', () => {
    expect(canonicalJson({ b: [3, { d: 1, c: null }], a: 'x' })).toBe('{"a":"x","b":[3,{"c":null,"d":1}]}');
    expect(canonicalJson(Object.assign(Object.create(null) as object, { z: true }))).toBe('{"z":true}');
    expect(canonicalJson('\u2028\t"')).toBe('"\u2028\\t\\""');
  });

  test('rejects values that are not JSON', () => {
    const bad: unknown[] = [
      NaN,
      Infinity,
      -Infinity,
      undefined,
      () => 1,
      10n,
      Symbol('s'),
      new Date(0),
      new Map(),
      { a: undefined },
      [1, undefined],
       
      [1, , 2],
      '\ud800',
      { '\udc00': 1 },
    ];
    for (const v of bad) expect(() => canonicalJson(v), String(typeof v)).toThrow(/canonicalJson/);
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    expect(() => canonicalJson(cyclic)).toThrow(/cycle/);
  });

  test('shared (non-cyclic) references are fine', () => {
    const shared = { x: 1 };
    expect(canonicalJson([shared, shared])).toBe('[{"x":1},{"x":1}]');
  });
});
