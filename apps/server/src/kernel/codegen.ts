import { execFile } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const run = promisify(execFile);
const here = path.dirname(fileURLToPath(import.meta.url));
/** The generated table types, checked into the repository. */
export const DB_TYPES_FILE = path.join(here, 'db.types.ts');

function codegenArgs(url: string, outFile: string): string[] {
  return [
    '--dialect', 'postgres',
    '--camel-case',
    '--url', url,
    '--out-file', outFile,
    '--date-parser', 'string',
    '--type-mapping', JSON.stringify({ int8: 'number' }),
    '--default-schema', 'public',
    '--exclude-pattern', 'schema_migrations',
    '--log-level', 'error',
  ];
}

const bin = path.resolve(here, '../../../../node_modules/.bin/kysely-codegen');

/** Regenerate `db.types.ts` from a migrated database. */
export async function generateDbTypes(url: string, outFile = DB_TYPES_FILE): Promise<void> {
  await run(bin, codegenArgs(url, outFile));
}

/** True when the checked-in types match what the migrated database says (drift check). */
export async function verifyDbTypes(url: string): Promise<{ ok: boolean; output: string }> {
  try {
    const result = await run(bin, [...codegenArgs(url, DB_TYPES_FILE), '--verify']);
    return { ok: true, output: result.stdout + result.stderr };
  } catch (error) {
    const failure = error as { stdout?: string; stderr?: string; message: string };
    return { ok: false, output: `${failure.stdout ?? ''}${failure.stderr ?? ''}${failure.message}` };
  }
}
