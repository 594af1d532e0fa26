import { Worker } from 'node:worker_threads';
import type { TErrorCode } from '@cunwu/contract';
import { AppError, type TFieldError } from '../../kernel/errors';
import type { TInvoiceInspection } from './invoice-image';

type TReply = { id: number; ok: true; result: TInvoiceInspection } | { id: number; ok: false; error: { code: TErrorCode | null; detail?: string; fieldErrors?: TFieldError[] } };

let worker: Worker | null = null;
let nextId = 1;
const pending = new Map<number, { resolve: (r: TInvoiceInspection) => void; reject: (e: Error) => void }>();

/** The one inspector thread, started on first use; it runs `inspectInvoice` and answers by message id. */
function inspector(): Worker {
  if (worker) return worker;
  // The server runs TypeScript through tsx; the thread loads the same way wherever it is started from.
  const started = new Worker(new URL('./invoice-image.worker.mjs', import.meta.url));
  started.unref();
  started.on('message', (reply: TReply) => {
    const waiting = pending.get(reply.id);
    if (!waiting) return;
    pending.delete(reply.id);
    if (reply.ok) waiting.resolve({ ...reply.result, thumbnail: Buffer.from(reply.result.thumbnail) });
    else waiting.reject(reply.error.code ? new AppError(reply.error.code, reply.error.detail, reply.error.fieldErrors) : new Error(reply.error.detail));
  });
  const fail = (error: Error) => {
    worker = null;
    for (const [id, waiting] of pending) {
      pending.delete(id);
      waiting.reject(error);
    }
  };
  started.on('error', fail);
  started.on('exit', (code) => fail(new Error(`the invoice inspector stopped (exit ${code})`)));
  worker = started;
  return started;
}

/**
 * `inspectInvoice` (type check, bomb guard, thumbnail, QR search, PDF rendering) in its own thread, so
 * an upload's second of decoding does not hold up every other request. Uploads queue in that thread.
 */
export function inspectInvoiceInThread(bytes: Buffer, mimeType: string): Promise<TInvoiceInspection> {
  const id = nextId++;
  return new Promise<TInvoiceInspection>((resolve, reject) => {
    pending.set(id, { resolve, reject });
    const thread = inspector();
    thread.ref(); // keep the process alive while an inspection is owed
    thread.postMessage({ id, bytes, mimeType });
  }).finally(() => {
    if (pending.size === 0) worker?.unref();
  });
}

/** Stop the thread (tests, shutdown). */
export async function stopInvoiceInspector(): Promise<void> {
  const current = worker;
  worker = null;
  if (current) await current.terminate();
}
