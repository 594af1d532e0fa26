import type { TTx } from './db';

/** Record what stored bytes are (idempotent: the same bytes uploaded twice are one row). */
export async function recordFile(tx: TTx, file: { sha256: string; sizeBytes: number; mimeType: string }): Promise<void> {
  await tx.insertInto('files').values(file).onConflict((oc) => oc.column('sha256').doNothing()).execute();
}

/** Size and type of a stored file. */
export async function findFile(tx: TTx, sha256: string): Promise<{ sha256: string; sizeBytes: number; mimeType: string } | undefined> {
  return tx.selectFrom('files').select(['sha256', 'sizeBytes', 'mimeType']).where('sha256', '=', sha256).executeTakeFirst();
}
