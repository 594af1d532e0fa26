import { performance } from 'node:perf_hooks';
import Fastify from 'fastify';
import { buildApp } from '../src/app';
import type { TServices } from '../src/kernel/services';
import { seedDemoIfEmpty } from '../src/modules/demo';
import { fmt, loadGet, printTable } from './report';

/**
 * The same measure with Node's fetch as the client, for answers autocannon cannot parse (a 304 has no
 * body and no length). Slower client than autocannon: compare only with a baseline taken the same way.
 */
async function loadWithFetch(url: string, seconds: number, headers: Record<string, string>, expected: number) {
  const until = performance.now() + seconds * 1000;
  const latencies: number[] = [];
  const worker = async () => {
    while (performance.now() < until) {
      const started = performance.now();
      const response = await fetch(url, { headers });
      await response.arrayBuffer();
      if (response.status !== expected) throw new Error(`${url}: ${response.status}, expected ${expected}`);
      latencies.push(performance.now() - started);
    }
  };
  await Promise.all(Array.from({ length: Number(process.env.BENCH_CONNECTIONS ?? 10) }, worker));
  latencies.sort((a, b) => a - b);
  return { rps: latencies.length / seconds, p99: Math.round(latencies[Math.floor(latencies.length * 0.99)] ?? 0) };
}

/**
 * The read path villagers hit: a published month of accounts (蓉溪村's F01 with its lines, versions and
 * review seals), a village's disclosure list, a revalidation answered 304 by ETag, and an invoice
 * thumbnail (immutable, by content hash), against a bare Fastify route in the same process and run.
 */
export async function benchDisclosurePage(services: TServices, options: { seconds: number }): Promise<void> {
  await seedDemoIfEmpty(services);
  const app = await buildApp(services, { serveApps: false });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const bare = Fastify();
  bare.get('/hello', async () => ({ hello: 'world' }));
  await bare.listen({ port: 0, host: '127.0.0.1' });
  const base = `http://127.0.0.1:${(app.server.address() as { port: number }).port}/api/v1`;
  const bareUrl = `http://127.0.0.1:${(bare.server.address() as { port: number }).port}/hello`;
  try {
    const login = await fetch(`${base}/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ login: 'rongxi_cadre', password: process.env.DEMO_PASSWORD ?? 'Demo@2026' }) });
    if (!login.ok) throw new Error(`login failed: ${login.status}`);
    const { token } = (await login.json()) as { token: string };
    const auth = { authorization: `Bearer ${token}` };
    const village = ((await (await fetch(`${base}/me`, { headers: auth })).json()) as { roles: { regionCode: string }[] }).roles[0]!.regionCode;
    const list = (await (await fetch(`${base}/villages/${village}/disclosures?item=F01&status=published`, { headers: auth })).json()) as { items: { id: string }[] };
    const id = list.items[0]?.id;
    if (!id) throw new Error('the demo has no published F01 for 蓉溪村');
    const page = await fetch(`${base}/disclosures/${id}`, { headers: auth });
    const etag = page.headers.get('etag')!;
    const disclosure = (await page.json()) as { versions: { structured: { lines?: { invoices: { id: string }[] }[] } }[] };
    const lines = disclosure.versions[0]!.structured.lines ?? [];
    const invoiceId = lines.flatMap((l) => l.invoices)[0]!.id;

    const baseline = await loadGet(bareUrl, options.seconds, {}, 200);
    const cases: [string, string, Record<string, string>, number][] = [
      [`GET /disclosures/{id} (F01, ${lines.length} lines, full JSON)`, `${base}/disclosures/${id}`, auth, 200],
      ['GET /villages/{code}/disclosures (list page)', `${base}/villages/${village}/disclosures`, auth, 200],
      ['GET /invoices/{id}/thumbnail (immutable file)', `${base}/invoices/${invoiceId}/thumbnail`, auth, 200],
    ];
    const rows: (string | number)[][] = [['bare Fastify route (baseline)', fmt(baseline.rps), `${baseline.p99} ms`, fmt(baseline.bytes), '1.000']];
    for (const [name, url, headers, expected] of cases) {
      const r = await loadGet(url, options.seconds, headers, expected);
      rows.push([name, fmt(r.rps), `${r.p99} ms`, fmt(r.bytes), (r.rps / baseline.rps).toFixed(3)]);
    }
    const fetchBaseline = await loadWithFetch(bareUrl, options.seconds, {}, 200);
    const full = await loadWithFetch(`${base}/disclosures/${id}`, options.seconds, auth, 200);
    const revalidated = await loadWithFetch(`${base}/disclosures/${id}`, options.seconds, { ...auth, 'if-none-match': etag }, 304);
    rows.push(
      ['— with a fetch client: bare route (baseline)', fmt(fetchBaseline.rps), `${fetchBaseline.p99} ms`, '', '1.000'],
      ['— GET /disclosures/{id} full (fetch)', fmt(full.rps), `${full.p99} ms`, '', (full.rps / fetchBaseline.rps).toFixed(3)],
      ['— GET /disclosures/{id} If-None-Match → 304 (fetch)', fmt(revalidated.rps), `${revalidated.p99} ms`, '0', (revalidated.rps / fetchBaseline.rps).toFixed(3)],
    );
    printTable(`Public disclosure page (${process.env.BENCH_CONNECTIONS ?? 10} connections, ${options.seconds}s each)`, ['route', 'req/s', 'p99', 'bytes/answer', 'ratio to bare'], rows);
  } finally {
    await app.close();
    await bare.close();
  }
}
