import { parentPort } from 'node:worker_threads';
import { AppError } from '../../kernel/errors';
import { inspectInvoice } from './invoice-image';

// The invoice inspector's thread: decoding, QR search (jsQR) and PDF rendering (mupdf, WASM) are
// synchronous work of up to a second, which must not stall the server's event loop.

parentPort!.on('message', (message: { id: number; bytes: Uint8Array; mimeType: string }) => {
  inspectInvoice(Buffer.from(message.bytes.buffer, message.bytes.byteOffset, message.bytes.byteLength), message.mimeType).then(
    (result) => parentPort!.postMessage({ id: message.id, ok: true, result }),
    (error: unknown) => parentPort!.postMessage({
      id: message.id,
      ok: false,
      error: error instanceof AppError
        ? { code: error.code, detail: error.detail, fieldErrors: error.fieldErrors }
        : { code: null, detail: error instanceof Error ? error.message : String(error) },
    }),
  );
});
