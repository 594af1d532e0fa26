import autocannon from 'autocannon';

/** Print a benchmark table with aligned columns. */
export function printTable(title: string, header: string[], rows: (string | number)[][]): void {
  const cells = [header, ...rows.map((r) => r.map(String))];
  const widths = header.map((_, i) => Math.max(...cells.map((r) => visibleLength(r[i] ?? ''))));
  console.log(`\n## ${title}`);
  for (const [n, row] of cells.entries()) {
    console.log(row.map((c, i) => c + ' '.repeat(widths[i]! - visibleLength(c))).join('  '));
    if (n === 0) console.log(widths.map((w) => '-'.repeat(w)).join('  '));
  }
}

// CJK characters take two columns in a terminal.
function visibleLength(text: string): number {
  let n = 0;
  for (const ch of text) n += /[\u3000-\u9fff\uff00-\uffef]/.test(ch) ? 2 : 1;
  return n;
}

/** Format a number with thousands separators and fixed decimals. */
export function fmt(value: number, decimals = 0): string {
  return value.toLocaleString('en-US', { minimumFractionDigits: decimals, maximumFractionDigits: decimals });
}

/**
 * Requests per second, p99 and bytes per answer of GET requests to one URL under
 * BENCH_CONNECTIONS (default 10) connections; every answer must be 2xx (or the expected status).
 */
export async function loadGet(url: string, seconds: number, headers: Record<string, string> = {}, expected?: number) {
  let unexpected = 0;
  const result = await new Promise<autocannon.Result>((resolve, reject) => {
    const instance = autocannon({ url, connections: Number(process.env.BENCH_CONNECTIONS ?? 10), duration: seconds, headers }, (error, done) => (error ? reject(error) : resolve(done)));
    instance.on('response', (_client: unknown, statusCode: number) => {
      if (expected === undefined ? statusCode < 200 || statusCode > 299 : statusCode !== expected) unexpected += 1;
    });
  });
  if (unexpected > 0 || result.errors > 0) throw new Error(`${url}: ${unexpected} unexpected answers, ${result.errors} errors`);
  return { rps: result.requests.average, p99: result.latency.p99, bytes: result.throughput.average / Math.max(1, result.requests.average) };
}
