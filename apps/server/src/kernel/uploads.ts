import { Readable } from 'node:stream';
import { fileTypeFromBuffer } from 'file-type';
import { AppError } from './errors';
import type { TFileStore } from './storage';

/** A stored upload with the type found in its bytes (never the name or the client's header). */
export interface TStoredUpload {
  sha256: string;
  sizeBytes: number;
  mimeType: string;
  isNew: boolean;
}

const SNIFF_BYTES = 4100;

// Containers that file-type names by their video flavour even when they only carry sound.
const ALIASES: Record<string, string> = { 'video/webm': 'audio/webm', 'audio/opus': 'audio/ogg', 'audio/x-m4a': 'audio/mp4', 'video/mp4': 'audio/mp4' };

/** The sniffed head of an upload: its type by content, and the rest of the stream still to read. */
interface TSniffed {
  mimeType: string;
  head: Buffer;
  rest: () => AsyncGenerator<Buffer>;
}

/** Read the first bytes, name the type by content and refuse types outside `allowed` (draining the stream). */
async function sniffUpload(stream: Readable, options: { allowed: readonly string[]; normaliseAudio?: boolean }): Promise<TSniffed> {
  const iterator = stream[Symbol.asyncIterator]();
  const head: Buffer[] = [];
  let headSize = 0;
  let done = false;
  while (headSize < SNIFF_BYTES) {
    const next = await iterator.next();
    if (next.done) {
      done = true;
      break;
    }
    const chunk = next.value as Buffer;
    head.push(chunk);
    headSize += chunk.length;
  }
  const headBuffer = Buffer.concat(head);
  const detected = await fileTypeFromBuffer(headBuffer);
  let mimeType = detected?.mime ?? 'application/octet-stream';
  if (options.normaliseAudio) mimeType = ALIASES[mimeType] ?? mimeType;
  if (!options.allowed.includes(mimeType)) {
    stream.resume(); // drain so the request can finish
    throw new AppError('UNSUPPORTED_MEDIA_TYPE', `file content is ${detected?.mime ?? 'not a recognised format'}; allowed: ${options.allowed.join(', ')} / 文件类型不支持`);
  }
  const rest = async function* () {
    if (done) return;
    for (;;) {
      const next = await iterator.next();
      if (next.done) return;
      yield next.value as Buffer;
    }
  };
  return { mimeType, head: headBuffer, rest };
}

/**
 * Store an uploaded stream after checking its type by content: the first bytes are read and sniffed,
 * a type outside `allowed` is refused before anything is written, then the whole stream goes to the
 * content-addressed store with the size cap.
 */
export async function storeUpload(store: TFileStore, stream: Readable, options: { allowed: readonly string[]; maxBytes: number; normaliseAudio?: boolean }): Promise<TStoredUpload> {
  const sniffed = await sniffUpload(stream, options);
  const all = async function* () {
    yield sniffed.head;
    yield* sniffed.rest();
  };
  const stored = await store.put(Readable.from(all()), { maxBytes: options.maxBytes });
  return { ...stored, mimeType: sniffed.mimeType };
}

/**
 * Read an upload into memory with the same checks (type by content, size cap), for files that must
 * be inspected before anything is kept (invoices: a decompression bomb or a corrupt image is refused
 * without leaving a stored blob behind). Past the cap the rest of the stream is drained and the
 * upload refused with PAYLOAD_TOO_LARGE.
 */
export async function readUpload(stream: Readable, options: { allowed: readonly string[]; maxBytes: number }): Promise<{ bytes: Buffer; mimeType: string; sizeBytes: number }> {
  const sniffed = await sniffUpload(stream, options);
  const chunks: Buffer[] = [sniffed.head];
  let size = sniffed.head.length;
  const tooLarge = () => new AppError('PAYLOAD_TOO_LARGE', `file exceeds ${options.maxBytes} bytes / 文件超过 ${Math.round((options.maxBytes / 1024 / 1024) * 10) / 10} MB`);
  if (size > options.maxBytes) {
    stream.resume();
    throw tooLarge();
  }
  for await (const chunk of sniffed.rest()) {
    size += chunk.length;
    if (size > options.maxBytes) {
      stream.resume();
      throw tooLarge();
    }
    chunks.push(chunk);
  }
  return { bytes: Buffer.concat(chunks), mimeType: sniffed.mimeType, sizeBytes: size };
}
