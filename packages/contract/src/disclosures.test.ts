import { describe, expect, it } from 'vitest';
import { diffLines, frequencyOfPeriod, parseDisclosurePeriod, periodDueOn, type TLineDiff } from './disclosures';

/** Rebuild both sides from a diff: what was removed or kept is the old text, added or kept the new. */
function sides(diff: TLineDiff[]): [string, string] {
  return [diff.filter((l) => l.op !== 'add').map((l) => l.text).join('\n'), diff.filter((l) => l.op !== 'remove').map((l) => l.text).join('\n')];
}

describe('disclosure periods', () => {
  it('resolves each frequency\'s form to its China calendar days and label', () => {
    expect(parseDisclosurePeriod('monthly', '2024-02')).toEqual({ ok: true, value: { period: '2024-02', start: '2024-02-01', end: '2024-02-29', label: '2024年2月', isEvent: false } });
    expect(parseDisclosurePeriod('quarterly', '2025-Q4')).toMatchObject({ ok: true, value: { start: '2025-10-01', end: '2025-12-31', label: '2025年第四季度' } });
    expect(parseDisclosurePeriod('semiannual', '2025-H1')).toMatchObject({ ok: true, value: { start: '2025-01-01', end: '2025-06-30', label: '2025年上半年' } });
    expect(parseDisclosurePeriod('annual', '2025')).toMatchObject({ ok: true, value: { start: '2025-01-01', end: '2025-12-31', label: '2025年度' } });
    expect(parseDisclosurePeriod('immediate', '2025-04-12')).toMatchObject({ ok: true, value: { start: '2025-04-12', end: '2025-04-12', isEvent: true } });
  });

  it('explains the expected form when the period does not fit the frequency', () => {
    const wrong = parseDisclosurePeriod('quarterly', '2025-04');
    expect(wrong.ok).toBe(false);
    expect(!wrong.ok && wrong.reason).toMatch(/YYYY-Q1\.\.Q4.*2025-Q2.*季度/);
    expect(parseDisclosurePeriod('on_change', '2025-02-29').ok).toBe(false);
    expect(parseDisclosurePeriod('monthly', '1999-12').ok).toBe(false);
  });

  it('finds the due day and a window\'s frequency', () => {
    expect(periodDueOn('2025-04-30', 10)).toBe('2025-05-10');
    expect(periodDueOn('2025-12-31', 30)).toBe('2026-01-30');
    expect(['2025-04', '2025-Q2', '2025-H2', '2025', '2025-04-01'].map(frequencyOfPeriod)).toEqual(['monthly', 'quarterly', 'semiannual', 'annual', null]);
  });
});

describe('line diff', () => {
  it('keeps common lines and marks removed and added ones in order', () => {
    expect(diffLines('a\nb\nc\nd', 'a\nc\nx\nd')).toEqual([
      { op: 'equal', text: 'a' }, { op: 'remove', text: 'b' }, { op: 'equal', text: 'c' }, { op: 'add', text: 'x' }, { op: 'equal', text: 'd' },
    ]);
    expect(diffLines('', 'new')).toEqual([{ op: 'add', text: 'new' }]);
    expect(diffLines('same', 'same')).toEqual([{ op: 'equal', text: 'same' }]);
  });

  it('reproduces both texts and keeps a longest common subsequence, on random edits', () => {
    let seed = 7;
    const random = (n: number) => (seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) % n;
    for (let round = 0; round < 200; round++) {
      const a = Array.from({ length: random(12) }, () => 'abcde'[random(5)]!);
      const b = Array.from({ length: random(12) }, () => 'abcde'[random(5)]!);
      const diff = diffLines(a.join('\n'), b.join('\n'));
      expect(sides(diff)).toEqual([a.join('\n'), b.join('\n')]);
      // LCS length by the textbook recurrence
      const lcs = Array.from({ length: a.length + 1 }, () => new Array<number>(b.length + 1).fill(0));
      for (let i = a.length - 1; i >= 0; i--) for (let j = b.length - 1; j >= 0; j--) lcs[i]![j] = a[i] === b[j] ? lcs[i + 1]![j + 1]! + 1 : Math.max(lcs[i + 1]![j]!, lcs[i]![j + 1]!);
      expect(diff.filter((l) => l.op === 'equal')).toHaveLength(lcs[0]![0]!);
    }
  });

  it('stays fast on long texts with a small change', () => {
    const long = Array.from({ length: 20_000 }, (_, i) => `第${i}行`).join('\n');
    const started = performance.now();
    const diff = diffLines(long, long.replace('第10000行', '第10000行（更正）'));
    expect(performance.now() - started).toBeLessThan(200);
    expect(diff.filter((l) => l.op !== 'equal')).toEqual([{ op: 'remove', text: '第10000行' }, { op: 'add', text: '第10000行（更正）' }]);
  });
});
