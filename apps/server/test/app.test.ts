import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestContext, type TTestContext } from './harness';

let t: TTestContext;
beforeAll(async () => {
  t = await createTestContext();
});
afterAll(() => t.close());

describe('the HTTP pipeline', () => {
  it('answers health with the database checked', async () => {
    const response = await t.app.inject({ method: 'GET', url: '/api/v1/health' });
    expect(response.json()).toMatchObject({ status: 'ok', database: 'ok' });
    expect(response.headers['x-request-id']).toBeTruthy();
  });

  it('sets security headers', async () => {
    const response = await t.app.inject({ method: 'GET', url: '/api/v1/health' });
    expect(response.headers['content-security-policy']).toContain("default-src 'self'");
    expect(response.headers['x-content-type-options']).toBe('nosniff');
    expect(response.headers['strict-transport-security']).toBeTruthy();
  });

  it('publishes OpenAPI generated from the contract schemas, every route documented', async () => {
    const response = await t.app.inject({ method: 'GET', url: '/api/docs/json' });
    expect(response.statusCode).toBe(200);
    const doc = response.json<{ openapi: string; paths: Record<string, Record<string, { summary?: string }>> }>();
    expect(doc.openapi).toMatch(/^3\./);
    expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining(['/api/v1/health', '/api/v1/auth/login', '/api/v1/regions/{code}/children', '/api/v1/ledger/checkpoint']));
    const undocumented = Object.entries(doc.paths).flatMap(([path, ops]) => Object.entries(ops).filter(([, op]) => !op.summary).map(([method]) => `${method} ${path}`));
    expect(undocumented).toEqual([]);
  });

  it('answers unknown API routes with a problem, echoes a sane request id and ignores a malicious one', async () => {
    const unknown = await t.app.inject({ method: 'GET', url: '/api/v1/nothing-here', headers: { 'x-request-id': 'abc-123' } });
    expect(unknown.statusCode).toBe(404);
    expect(unknown.json()).toMatchObject({ code: 'NOT_FOUND', requestId: 'abc-123' });
    const evil = await t.app.inject({ method: 'GET', url: '/api/v1/nothing-here', headers: { 'x-request-id': '<script>' } });
    expect(evil.json().requestId).not.toContain('<');
  });
});
