import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Readable } from 'node:stream';
import { z } from 'zod';
import {
  FINANCE_LIMITS, ZCreateLedgerLineRequest, ZInvoice, ZLedgerImportResult, ZLedgerLine, ZLedgerMonth, ZListLedgerLinesQuery, ZRegionParams, ZReviewQueue,
  ZReviewQueueQuery, ZReviewRequest, ZUpdateInvoiceRequest, ZUpdateLedgerLineRequest, ZUploadInvoiceResponse,
} from '@cunwu/contract';
import type { TApp } from '../../kernel/app-types';
import { AppError, invalid } from '../../kernel/errors';
import { auditContext, requireActor } from '../../kernel/http';
import type { TServices } from '../../kernel/services';
import { importLines, ledgerTemplateXlsx } from './finance.import';
import { openStamp, reviewLine, reviewQueue } from './finance.review';
import * as service from './finance.service';

const ZIdParams = z.object({ id: z.uuid() });
const ZLineIdParams = z.object({ lineId: z.uuid() });
const ZStampParams = z.object({ sha256: z.string().regex(/^[0-9a-f]{64}$/, 'a SHA-256 in lowercase hex / 64位小写十六进制') });
const TAGS = ['finance'];

// Multipart boundaries and part headers around the file and the villageCode field.
const MULTIPART_OVERHEAD_BYTES = 64 * 1024;

/** A multipart upload: the village (checked first) and then its file. */
interface TVillageFile {
  villageCode: string;
  stream: Readable;
  fileName: string;
  isTruncated: () => boolean;
}

/**
 * Read `villageCode` and then the file `file` of a multipart request and hand them to `handle` while
 * the file still streams. The field must come first: the village and the uploader's right to it are
 * checked before a byte of the file is read. The transport cuts the file one byte past the cap, so an
 * oversized file is always noticed (413), and a declared length over the cap is refused at once.
 */
async function withVillageFile<T>(request: FastifyRequest, maxBytes: number, handle: (upload: TVillageFile) => Promise<T>): Promise<T> {
  if (!request.isMultipart()) throw new AppError('UNSUPPORTED_MEDIA_TYPE', 'send multipart/form-data with the fields villageCode and file / 请以表单方式上传（字段 villageCode 与 file）');
  if (Number(request.headers['content-length'] ?? 0) > maxBytes + MULTIPART_OVERHEAD_BYTES) {
    throw new AppError('PAYLOAD_TOO_LARGE', `file exceeds ${maxBytes} bytes / 文件超过 ${maxBytes / 1024 / 1024} MB`);
  }
  let villageCode: string | null = null;
  for await (const part of request.parts({ limits: { fileSize: maxBytes + 1, files: 1, fields: 5, parts: 6 } })) {
    if (part.type === 'field') {
      if (part.fieldname === 'villageCode') villageCode = String(part.value).trim();
      continue;
    }
    if (part.fieldname !== 'file') {
      part.file.resume();
      throw invalid(part.fieldname, 'send the file in the field named file / 文件字段须为 file');
    }
    if (villageCode === null) {
      part.file.resume();
      throw invalid('villageCode', 'send the villageCode field before the file part (the village is checked before the file is read) / villageCode 字段须放在文件之前');
    }
    const file = part.file;
    return handle({ villageCode, stream: file, fileName: part.filename, isTruncated: () => file.truncated });
  }
  throw villageCode === null ? invalid('villageCode', 'send villageCode, then the file / 请提供 villageCode 和文件') : invalid('file', 'no file received / 没有收到文件');
}

/** Send stored bytes that never change under their address: long private caching, ETag = SHA-256. */
function sendImmutable(request: FastifyRequest, reply: FastifyReply, file: { sha256: string; mimeType: string; stream: () => Readable }, cacheControl = 'private, max-age=31536000, immutable') {
  const etag = `"${file.sha256}"`;
  reply.header('etag', etag).header('cache-control', cacheControl).header('x-content-type-options', 'nosniff');
  if (request.headers['if-none-match'] === etag) return reply.status(304).send();
  return reply.type(file.mimeType).send(file.stream());
}

/** Routes of the village ledger (收支明细), invoices (原始票据) and the joint review (联审). */
export function financeRoutes(app: TApp, services: TServices): void {
  app.post('/invoices', {
    schema: { tags: TAGS, summary: '上传发票 Upload an invoice image or PDF (multipart: villageCode, then file); the QR code fills the fields', consumes: ['multipart/form-data'], response: { 200: ZUploadInvoiceResponse } },
  }, async (request) => {
    const actor = requireActor(request);
    return withVillageFile(request, FINANCE_LIMITS.invoiceMaxBytes, (upload) => service.uploadInvoice(services, actor, auditContext(request), upload));
  });

  app.get('/invoices/:id', {
    schema: { tags: TAGS, summary: '发票详情 An invoice with its QR fields, typed fields and mismatches', params: ZIdParams, response: { 200: ZInvoice } },
  }, async (request) => service.getInvoice(services, requireActor(request), request.params.id));

  app.patch('/invoices/:id', {
    schema: { tags: TAGS, summary: '核对发票 Correct or confirm an invoice\'s fields (not once its line is approved or published)', params: ZIdParams, body: ZUpdateInvoiceRequest, response: { 200: ZInvoice } },
  }, async (request) => service.updateInvoice(services, requireActor(request), auditContext(request), request.params.id, request.body));

  app.get('/invoices/:id/image', {
    schema: { tags: TAGS, summary: '发票原件 The invoice\'s bytes (officials in scope; villagers once its line is published)', params: ZIdParams },
  }, async (request, reply) => sendImmutable(request, reply, await service.openInvoiceFile(services, requireActor(request), request.params.id, 'image')));

  app.get('/invoices/:id/thumbnail', {
    schema: { tags: TAGS, summary: '发票缩略图 The invoice\'s thumbnail (JPEG)', params: ZIdParams },
  }, async (request, reply) => sendImmutable(request, reply, await service.openInvoiceFile(services, requireActor(request), request.params.id, 'thumbnail')));

  app.post('/ledger-lines', {
    schema: { tags: TAGS, summary: '记一笔 Enter an income or expense line (expenses wait for the joint review)', body: ZCreateLedgerLineRequest, response: { 200: ZLedgerLine } },
  }, async (request) => service.createLine(services, requireActor(request), auditContext(request), request.body));

  app.post('/ledger-lines/import', {
    schema: {
      tags: TAGS,
      summary: '导入收支明细 Import lines from an .xlsx or .csv (multipart: villageCode, then file); all rows or none, bad rows listed',
      consumes: ['multipart/form-data'],
      response: { 200: ZLedgerImportResult },
    },
  }, async (request) => {
    const actor = requireActor(request);
    return withVillageFile(request, FINANCE_LIMITS.importMaxBytes, (upload) => importLines(services, actor, auditContext(request), upload));
  });

  app.get('/ledger-lines/import-template', {
    schema: { tags: TAGS, summary: '收支明细导入模板 The import template (.xlsx: header and one example row)' },
  }, async (request, reply) => {
    const file = await ledgerTemplateXlsx(requireActor(request));
    return reply
      .header('content-type', file.contentType)
      .header('content-disposition', `attachment; filename="ledger-import-template.xlsx"; filename*=UTF-8''${encodeURIComponent(file.fileName)}`)
      .header('cache-control', 'private, max-age=300')
      .send(file.body);
  });

  app.get('/ledger-lines/:id', {
    schema: { tags: TAGS, summary: '收支明细详情 A ledger line with its invoices and review history', params: ZIdParams, response: { 200: ZLedgerLine } },
  }, async (request) => service.getLine(services, requireActor(request), request.params.id));

  app.patch('/ledger-lines/:id', {
    schema: { tags: TAGS, summary: '修改收支明细 Change a line that is not approved or published (a rejected expense goes back to review)', params: ZIdParams, body: ZUpdateLedgerLineRequest, response: { 200: ZLedgerLine } },
  }, async (request) => service.updateLine(services, requireActor(request), auditContext(request), request.params.id, request.body));

  app.get('/villages/:code/ledger-lines', {
    schema: { tags: TAGS, summary: '本村收支明细 A month of a village\'s ledger with totals by subject and review counts', params: ZRegionParams, querystring: ZListLedgerLinesQuery, response: { 200: ZLedgerMonth } },
  }, async (request) => service.listMonth(services, requireActor(request), request.params.code, request.query));

  app.post('/reviews/:lineId', {
    schema: { tags: TAGS, summary: '联审 The resident cadre approves (with the unit\'s seal) or rejects (with a reason) an expense', params: ZLineIdParams, body: ZReviewRequest, response: { 200: ZLedgerLine } },
  }, async (request) => reviewLine(services, requireActor(request), auditContext(request), request.params.lineId, request.body));

  app.get('/reviews/queue', {
    schema: { tags: TAGS, summary: '联审待办 Expenses and F01 disclosures waiting for the resident cadre, oldest first', querystring: ZReviewQueueQuery, response: { 200: ZReviewQueue } },
  }, async (request) => reviewQueue(services, requireActor(request), request.query));

  app.get('/stamps/:sha256.png', {
    schema: { tags: TAGS, summary: '联审印章 The seal image of a reviewing unit (public)', params: ZStampParams },
  }, async (request, reply) => {
    const stamp = await openStamp(services, request.params.sha256);
    return sendImmutable(request, reply, { sha256: request.params.sha256, mimeType: 'image/png', stream: stamp.stream }, 'public, max-age=31536000, immutable');
  });
}
