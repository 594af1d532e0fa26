import { CamelCasePlugin, Kysely, PostgresDialect, type Transaction } from 'kysely';
import pg from 'pg';
import type { DB } from './db.types';

/** The database handle every repo function receives. */
export type TDb = Kysely<DB>;
/** A transaction handle; repo functions accept either. */
export type TTx = Transaction<DB> | Kysely<DB>;

// int8 (counts, ledger indexes, fen amounts) arrives as JS numbers: every value we store stays far
// below 2^53 (the largest money amount in fen is ~9e15), and numbers keep the DTOs simple.
pg.types.setTypeParser(pg.types.builtins.INT8, (value) => Number(value));
// Business dates (invoice date, period day) stay 'YYYY-MM-DD' strings: no time zone can shift them.
pg.types.setTypeParser(pg.types.builtins.DATE, (value) => value);

/** Open a pooled Kysely instance with camelCase mapping. */
export function createDb(url: string, options: { max?: number } = {}): TDb {
  const pool = new pg.Pool({ connectionString: url, max: options.max ?? 10 });
  // An idle client dropped by the server (restart, failover) must not crash the process.
  // 57P01 admin_shutdown is the database stopping (Ctrl-C reaches the embedded PostgreSQL too): expected.
  pool.on('error', (error: Error & { code?: string }) => {
    if (error.code !== '57P01') console.error('idle database client error:', error.message);
  });
  return new Kysely<DB>({ dialect: new PostgresDialect({ pool }), plugins: [new CamelCasePlugin()] });
}
