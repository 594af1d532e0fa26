import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';

/** Folder of the numbered raw-SQL migrations. */
export const MIGRATIONS_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../migrations');

/** One migration file split into its up and down halves. */
export interface TMigration {
  version: string;
  name: string;
  up: string;
  down: string;
}

/** Read `NNNN_name.sql` files with `-- migrate:up` and `-- migrate:down` sections, in order. */
export function readMigrations(dir = MIGRATIONS_DIR): TMigration[] {
  return readdirSync(dir)
    .filter((file) => /^\d{4}_[a-z0-9_]+\.sql$/.test(file))
    .sort()
    .map((file) => {
      const text = readFileSync(path.join(dir, file), 'utf8');
      const upAt = text.indexOf('-- migrate:up');
      const downAt = text.indexOf('-- migrate:down');
      if (upAt < 0 || downAt < upAt) throw new Error(`${file}: needs '-- migrate:up' then '-- migrate:down'`);
      return {
        version: file.slice(0, 4),
        name: file.slice(5, -4),
        up: text.slice(upAt + '-- migrate:up'.length, downAt).trim(),
        down: text.slice(downAt + '-- migrate:down'.length).trim(),
      };
    });
}

const LOCK_KEY = 727_001; // advisory lock so that two servers starting together migrate once

/** Apply pending migrations, each in its own transaction. Returns the versions applied. */
export async function migrateUp(url: string, log: (line: string) => void = () => {}): Promise<string[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query('SELECT pg_advisory_lock($1)', [LOCK_KEY]);
    await client.query(`CREATE TABLE IF NOT EXISTS schema_migrations (
      version text PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())`);
    const done = new Set((await client.query<{ version: string }>('SELECT version FROM schema_migrations')).rows.map((r) => r.version));
    const applied: string[] = [];
    for (const migration of readMigrations()) {
      if (done.has(migration.version)) continue;
      await client.query('BEGIN');
      try {
        await client.query(migration.up);
        await client.query('INSERT INTO schema_migrations (version, name) VALUES ($1, $2)', [migration.version, migration.name]);
        await client.query('COMMIT');
      } catch (error) {
        await client.query('ROLLBACK');
        throw new Error(`migration ${migration.version}_${migration.name} failed: ${(error as Error).message}`);
      }
      log(`migrated ${migration.version}_${migration.name}`);
      applied.push(migration.version);
    }
    return applied;
  } finally {
    await client.query('SELECT pg_advisory_unlock($1)', [LOCK_KEY]).catch(() => {});
    await client.end();
  }
}

/** Roll back applied migrations newer than `toVersion` (default: only the last one). */
export async function migrateDown(url: string, toVersion?: string, log: (line: string) => void = () => {}): Promise<string[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query('SELECT pg_advisory_lock($1)', [LOCK_KEY]);
    const applied = (await client.query<{ version: string }>('SELECT version FROM schema_migrations ORDER BY version DESC')).rows.map((r) => r.version);
    const byVersion = new Map(readMigrations().map((m) => [m.version, m]));
    const targets = toVersion === undefined ? applied.slice(0, 1) : applied.filter((v) => v > toVersion);
    const undone: string[] = [];
    for (const version of targets) {
      const migration = byVersion.get(version);
      if (!migration) throw new Error(`no file for applied migration ${version}`);
      await client.query('BEGIN');
      try {
        await client.query(migration.down);
        await client.query('DELETE FROM schema_migrations WHERE version = $1', [version]);
        await client.query('COMMIT');
      } catch (error) {
        await client.query('ROLLBACK');
        throw new Error(`rollback of ${version}_${migration.name} failed: ${(error as Error).message}`);
      }
      log(`rolled back ${version}_${migration.name}`);
      undone.push(version);
    }
    return undone;
  } finally {
    await client.query('SELECT pg_advisory_unlock($1)', [LOCK_KEY]).catch(() => {});
    await client.end();
  }
}
