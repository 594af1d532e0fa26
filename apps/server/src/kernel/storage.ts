import { createHash, randomUUID } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, rename, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { AppError } from './errors';

/** What the store answers after a put. */
export interface TStoredFile {
  sha256: string;
  sizeBytes: number;
  /** False when the same bytes were stored before (content addressing deduplicates). */
  isNew: boolean;
}

/** A content-addressed file store: bytes live under their SHA-256. */
export interface TFileStore {
  put(stream: Readable, options?: { maxBytes?: number }): Promise<TStoredFile>;
  get(sha256: string): Readable;
  has(sha256: string): Promise<boolean>;
}

const SHA_RE = /^[0-9a-f]{64}$/;

/**
 * Local-disk driver: `root/ab/cd/abcd…`. A put streams to a temporary file while hashing, then
 * renames into place, so a reader never sees a half-written file and a crash leaves only a temp file.
 */
export function createLocalFileStore(root: string): TFileStore {
  const pathOf = (sha: string) => path.join(root, sha.slice(0, 2), sha.slice(2, 4), sha);
  return {
    async put(stream, options = {}) {
      const tmpDir = path.join(root, 'tmp');
      await mkdir(tmpDir, { recursive: true });
      const tmp = path.join(tmpDir, randomUUID());
      const hash = createHash('sha256');
      let size = 0;
      const limit = options.maxBytes ?? Number.POSITIVE_INFINITY;
      const meter = new Transform({
        transform(chunk: Buffer, _encoding, callback) {
          size += chunk.length;
          if (size > limit) return callback(new AppError('PAYLOAD_TOO_LARGE', `file exceeds ${limit} bytes`));
          hash.update(chunk);
          callback(null, chunk);
        },
      });
      try {
        await pipeline(stream, meter, createWriteStream(tmp, { flags: 'wx' }));
      } catch (error) {
        await rm(tmp, { force: true });
        throw error;
      }
      const sha256 = hash.digest('hex');
      const target = pathOf(sha256);
      const existed = await stat(target).then(() => true, () => false);
      if (existed) {
        await rm(tmp, { force: true });
      } else {
        await mkdir(path.dirname(target), { recursive: true });
        await rename(tmp, target);
      }
      return { sha256, sizeBytes: size, isNew: !existed };
    },
    get(sha256) {
      if (!SHA_RE.test(sha256)) throw new AppError('NOT_FOUND');
      return createReadStream(pathOf(sha256));
    },
    async has(sha256) {
      if (!SHA_RE.test(sha256)) return false;
      return stat(pathOf(sha256)).then(() => true, () => false);
    },
  };
}
