import { describe, expect, it } from 'vitest';
import { formatFen, ledgerTotals, parseInvoiceQr, parseYuanToFen } from './finance';

/** The parsed value, failing the test when the text is refused. */
function parsedQr(text: string) {
  const result = parseInvoiceQr(text);
  if (!result.ok) throw new Error(`refused: ${result.reason}`);
  return result.value;
}

/** The reason a text is refused, failing the test when it is accepted. */
function refusal(text: string): string {
  const result = parseInvoiceQr(text);
  if (result.ok) throw new Error(`accepted: ${text}`);
  return result.reason;
}

describe('parseInvoiceQr', () => {
  it('reads a VAT special invoice (专用发票, type 01) without a check code', () => {
    expect(parsedQr('01,01,3500201130,00123456,10000.00,20260415,,A1B2,')).toEqual({
      version: '01', kind: '01', code: '3500201130', number: '00123456', amountFen: 1_000_000, date: '2026-04-15', checkCode: null,
    });
  });

  it('reads an e-normal invoice (电子普通发票, type 10) with code and check code', () => {
    expect(parsedQr('01,10,035002400111,12345678,1280.50,20260415,88797755437411041530,9C7D,')).toEqual({
      version: '01', kind: '10', code: '035002400111', number: '12345678', amountFen: 128_050, date: '2026-04-15', checkCode: '88797755437411041530',
    });
  });

  it('reads a fully digitalised invoice (全电, type 32): empty code, 20-digit number', () => {
    const qr = parsedQr('01,32,,26352000000012345678,300.00,20260102,,');
    expect(qr).toMatchObject({ kind: '32', code: '', number: '26352000000012345678', amountFen: 30_000, date: '2026-01-02', checkCode: null });
  });

  it('parses amounts exactly: one decimal, one fen', () => {
    expect(parsedQr('01,10,035002400111,12345678,1280.5,20260415,1,').amountFen).toBe(128_050);
    expect(parsedQr('01,10,035002400111,12345678,0.01,20260415,1,').amountFen).toBe(1);
  });

  it('accepts full-width commas and surrounding blanks', () => {
    expect(parsedQr(' 01，10，035002400111，12345678，8.00，20260415，1， ').amountFen).toBe(800);
  });

  it('refuses a date that is not in the calendar', () => {
    expect(refusal('01,10,035002400111,12345678,1280.50,20260231,1,')).toContain('开票日期');
    expect(refusal('01,10,035002400111,12345678,1280.50,2026-04-15,1,')).toContain('date');
  });

  it('refuses web links and payment codes with a bilingual reason', () => {
    for (const text of ['https://example.com', 'wxp://f2f0Ks8lB5pXz0wWmKxQqY7rJ', 'https://qr.alipay.com/fkx12345']) {
      const reason = refusal(text);
      expect(reason).toContain('not an invoice');
      expect(reason).toContain('二维码不是发票二维码');
    }
  });

  it('refuses malformed fields one by one', () => {
    expect(refusal('01,99,035002400111,12345678,1.00,20260415,')).toContain('unknown version or type');
    expect(refusal('1,10,035002400111,12345678,1.00,20260415,')).toContain('unknown version or type');
    expect(refusal('01,10,0350024,12345678,1.00,20260415,')).toContain('invoice code');
    expect(refusal('01,10,035002400111,1234567,1.00,20260415,')).toContain('invoice number');
    expect(refusal('01,32,,12345678,1.00,20260415,')).toContain('20-digit');
    expect(refusal('01,10,035002400111,12345678,1.001,20260415,')).toContain('amount');
    expect(refusal('01,10,035002400111,12345678,-1.00,20260415,')).toContain('amount');
  });
});

describe('parseYuanToFen', () => {
  it.each([
    ['1234', 123_400],
    ['1,234.56', 123_456],
    ['¥12', 1_200],
    ['￥12.5', 1_250],
    ['0.01', 1],
    [' 1280.50元 ', 128_050],
    ['999999999999.99', 99_999_999_999_999],
  ])('%s → %i fen', (text, fen) => {
    expect(parseYuanToFen(text)).toBe(fen);
  });

  it.each(['12.345', '-5', '', 'abc', '1.2.3', '.5', '1e3', '12 34'])('%j is not an amount', (text) => {
    expect(parseYuanToFen(text)).toBeNull();
  });
});

describe('formatFen', () => {
  it('groups thousands and always shows two decimals', () => {
    expect(formatFen(0)).toBe('0.00');
    expect(formatFen(1)).toBe('0.01');
    expect(formatFen(128_050)).toBe('1,280.50');
    expect(formatFen(100_000_000_000)).toBe('1,000,000,000.00');
    expect(formatFen(-123_456)).toBe('-1,234.56');
  });
});

describe('ledgerTotals', () => {
  it('sums income and expense, the balance, and per subject (income first, larger first)', () => {
    const totals = ledgerTotals([
      { direction: 'income', amountFen: 500_000, subject: '发包收入' },
      { direction: 'expense', amountFen: 128_050, subject: '管理费用' },
      { direction: 'expense', amountFen: 300_000, subject: '公益支出' },
      { direction: 'expense', amountFen: 1_950, subject: '管理费用' },
      { direction: 'income', amountFen: 20_000, subject: '其他收入' },
    ]);
    expect(totals).toMatchObject({ incomeFen: 520_000, expenseFen: 430_000, balanceFen: 90_000, lineCount: 5 });
    expect(totals.bySubject).toEqual([
      { subject: '发包收入', direction: 'income', amountFen: 500_000, count: 1 },
      { subject: '其他收入', direction: 'income', amountFen: 20_000, count: 1 },
      { subject: '公益支出', direction: 'expense', amountFen: 300_000, count: 1 },
      { subject: '管理费用', direction: 'expense', amountFen: 130_000, count: 2 },
    ]);
  });

  it('keeps a subject used for both directions apart, and is zero for no lines', () => {
    const totals = ledgerTotals([
      { direction: 'income', amountFen: 100, subject: '其他' },
      { direction: 'expense', amountFen: 300, subject: '其他' },
    ]);
    expect(totals.balanceFen).toBe(-200);
    expect(totals.bySubject.map((s) => s.direction)).toEqual(['income', 'expense']);
    expect(ledgerTotals([])).toEqual({ incomeFen: 0, expenseFen: 0, balanceFen: 0, lineCount: 0, bySubject: [] });
  });
});
