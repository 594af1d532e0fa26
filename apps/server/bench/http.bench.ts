import Fastify from 'fastify';
import { buildApp } from '../src/app';
import type { TServices } from '../src/kernel/services';
import { seedDemoIfEmpty } from '../src/modules/demo';
import { fmt, loadGet, printTable } from './report';

/**
 * Our endpoints (full pipeline: auth hook, zod validation and serialisation, scope filter, SQL) against
 * a bare Fastify hello-world route served from the same process, in the same run.
 */
export async function benchHttp(services: TServices, options: { seconds: number }): Promise<void> {
  await seedDemoIfEmpty(services);
  const app = await buildApp(services, { serveApps: false });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const bare = Fastify();
  bare.get('/hello', async () => ({ hello: 'world' }));
  await bare.listen({ port: 0, host: '127.0.0.1' });
  const base = `http://127.0.0.1:${(app.server.address() as { port: number }).port}/api/v1`;
  const bareUrl = `http://127.0.0.1:${(bare.server.address() as { port: number }).port}/hello`;
  const login = await fetch(`${base}/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ login: 'quanzhou_jw', password: process.env.DEMO_PASSWORD ?? 'Demo@2026' }) });
  const { token } = (await login.json()) as { token: string };
  const auth = { authorization: `Bearer ${token}` };
  try {
    const baseline = await loadGet(bareUrl, options.seconds);
    const cases: [string, string, Record<string, string>][] = [
      ['GET /health (1 query)', `${base}/health`, {}],
      ['GET /regions/{city}/children (session + cached counts)', `${base}/regions/350500000000/children`, auth],
      ['GET /regions/{town}/children', `${base}/regions/350504005000/children`, auth],
      ['GET /ledger/proof/inclusion', `${base}/ledger/proof/inclusion?index=0&size=1`, {}],
    ];
    const rows: (string | number)[][] = [['bare Fastify route (baseline)', fmt(baseline.rps), `${baseline.p99} ms`, '1.00']];
    for (const [name, url, headers] of cases) {
      const r = await loadGet(url, options.seconds, headers);
      rows.push([name, fmt(r.rps), `${r.p99} ms`, (r.rps / baseline.rps).toFixed(3)]);
    }
    printTable(`HTTP (10 connections, ${options.seconds}s each)`, ['route', 'req/s', 'p99', 'ratio to bare'], rows);
  } finally {
    await app.close();
    await bare.close();
  }
}
