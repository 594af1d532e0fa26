import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import pg from 'pg';
import { describe, expect, inject, it } from 'vitest';
import { verifyDbTypes } from './codegen';
import { ConfigError, loadConfig } from './config';
import { AppError, translatePgError } from './errors';
import { migrateDown, migrateUp, readMigrations } from './migrate';
import { collapsePrefixes, authorize } from './policy';
import { createLocalFileStore } from './storage';

async function freshDatabase(): Promise<string> {
  const admin = new pg.Client({ connectionString: inject('pgAdminUrl') });
  await admin.connect();
  const name = `k_${randomBytes(5).toString('hex')}`;
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(inject('pgAdminUrl'));
  url.pathname = `/${name}`;
  return url.toString();
}

describe('migrations', () => {
  it('every file has an up and a down; all apply, all roll back, and apply again', async () => {
    const url = await freshDatabase();
    const all = readMigrations();
    expect(all.length).toBeGreaterThan(5);
    expect(await migrateUp(url)).toEqual(all.map((m) => m.version));
    expect(await migrateUp(url)).toEqual([]);
    expect(await migrateDown(url, '0000')).toEqual(all.map((m) => m.version).reverse());
    expect(await migrateUp(url)).toHaveLength(all.length);
  });

  it('the checked-in Kysely types match the migrated schema (no drift)', async () => {
    const url = new URL(inject('pgAdminUrl'));
    url.pathname = `/${inject('pgTemplate')}`;
    const result = await verifyDbTypes(url.toString());
    expect(result.output).not.toMatch(/differ|outdated/i);
    expect(result.ok).toBe(true);
  });
});

describe('configuration', () => {
  it('reads the environment with defaults and names the bad setting in its error', () => {
    const config = loadConfig({ PORT: '4000', DATA_DIR: '/tmp/x', CONFIG_FILE: undefined });
    expect(config).toMatchObject({ port: 4000, dataDir: '/tmp/x', jobs: true, seedDemo: true });
    expect(() => loadConfig({ PORT: 'eighty' })).toThrow(ConfigError);
    expect(() => loadConfig({ PORT: 'eighty' })).toThrow(/PORT/);
    expect(() => loadConfig({ DATABASE_URL: 'not a url' })).toThrow(/DATABASE_URL/);
    expect(() => loadConfig({ CONFIG_FILE: '/nonexistent/config.json' })).toThrow(/config file/);
  });
});

describe('errors and policy', () => {
  it('translates PostgreSQL errors into the vocabulary', () => {
    expect(translatePgError({ code: '23505', constraint: 'users_login_key' })?.code).toBe('ALREADY_EXISTS');
    expect(translatePgError({ code: 'P0001', message: 'IMMUTABLE: x' })?.code).toBe('IMMUTABLE');
    expect(translatePgError({ code: '40001' })?.code).toBe('CONFLICT');
    expect(translatePgError(new Error('plain'))).toBeNull();
  });

  it('collapses nested scopes and fails closed', () => {
    expect(collapsePrefixes(['350524', '3505', '350524107'])).toEqual(['3505']);
    expect(() => authorize(null, 'regions.read')).toThrow(AppError);
    expect(() => authorize({ userId: 'u', kind: 'villager', name: 'v', roles: [{ id: 'r', role: 'villager', regionCode: '350504005201' }] }, 'users.manage')).toThrow(/users.manage/);
  });
});

describe('content-addressed file store', () => {
  it('stores bytes under their SHA-256 once, streams them back, and refuses oversized files leaving nothing', async () => {
    const root = mkdtempSync(path.join(os.tmpdir(), 'cunwu-files-'));
    const store = createLocalFileStore(root);
    const bytes = Buffer.from('发票影像 invoice image bytes');
    const first = await store.put(Readable.from([bytes]));
    const second = await store.put(Readable.from([bytes]));
    expect(first.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(first).toMatchObject({ isNew: true, sizeBytes: bytes.length });
    expect(second).toMatchObject({ sha256: first.sha256, isNew: false });
    const chunks: Buffer[] = [];
    for await (const chunk of store.get(first.sha256)) chunks.push(chunk as Buffer);
    expect(Buffer.concat(chunks).equals(bytes)).toBe(true);
    await expect(store.put(Readable.from([Buffer.alloc(2048)]), { maxBytes: 1024 })).rejects.toMatchObject({ code: 'PAYLOAD_TOO_LARGE' });
    expect(await store.has('0'.repeat(64))).toBe(false);
  });
});
