import { base64 } from '@cunwu/contract';
import {
  ZConsistencyProof, ZConsistencyQuery, ZInclusionProof, ZInclusionQuery, ZLedgerEntriesQuery, ZLedgerEntriesResponse,
  ZLedgerIndexParams, ZLedgerPublicKey, ZLedgerReceipt, ZLedgerRefQuery, ZLedgerEntryRow, ZLedgerStatus,
} from '@cunwu/contract';
import { z } from 'zod';
import type { TApp } from '../../kernel/app-types';
import { requireActor } from '../../kernel/http';
import { authorize } from '../../kernel/policy';
import type { TServices } from '../../kernel/services';
import * as repo from './ledger.repo';
import * as service from './ledger.service';
import { ledgerSigner } from './ledger.signer';

/** Public, unauthenticated ledger routes (outside verifiers rely on them) plus on-demand checkpoints. */
export function ledgerRoutes(app: TApp, services: TServices): void {
  app.get('/ledger/checkpoint', {
    schema: { tags: ['ledger'], summary: '最新签名检查点 Latest signed checkpoint (C2SP signed note)', response: { 200: z.string() } },
  }, async (_request, reply) => {
    const latest = await service.latestCheckpoint(services);
    return reply.type('text/plain; charset=utf-8').header('cache-control', 'no-cache').send(latest.note);
  });

  app.get('/ledger/public-key', {
    schema: { tags: ['ledger'], summary: '验签公钥 Verifier key', response: { 200: ZLedgerPublicKey } },
  }, async (_request, reply) => {
    const signer = ledgerSigner(services);
    reply.header('cache-control', 'public, max-age=3600');
    return { origin: signer.origin, algorithm: 'Ed25519' as const, verifierKey: signer.verifierKey, publicKey: base64(signer.publicKey) };
  });

  app.get('/ledger/status', {
    schema: { tags: ['ledger'], summary: '账本概况 Log size and latest checkpoint', response: { 200: ZLedgerStatus } },
  }, async () => {
    const [size, latest] = await Promise.all([repo.findSize(services.db), repo.findLatestCheckpoint(services.db)]);
    return { size, checkpointSize: latest?.size ?? null, checkpointAt: latest?.createdAt.toISOString() ?? null, origin: ledgerSigner(services).origin };
  });

  app.get('/ledger/entries', {
    schema: { tags: ['ledger'], summary: '账本条目 Entries [start, end)', querystring: ZLedgerEntriesQuery, response: { 200: ZLedgerEntriesResponse } },
  }, async (request) => {
    const { start, end } = request.query;
    const [size, entries] = await Promise.all([repo.findSize(services.db), service.listEntries(services, start, end)]);
    return { start, end: Math.min(end, size), size, entries };
  });

  app.get('/ledger/entries/by-ref', {
    schema: { tags: ['ledger'], summary: '某记录的账本条目 Entries about one reference', querystring: ZLedgerRefQuery, response: { 200: z.array(ZLedgerEntryRow) } },
  }, async (request) => service.entriesForRef(services, request.query.ref));

  app.get('/ledger/proof/inclusion', {
    schema: { tags: ['ledger'], summary: '包含证明 Inclusion proof', querystring: ZInclusionQuery, response: { 200: ZInclusionProof } },
  }, async (request) => service.inclusionProof(services.db, request.query.index, request.query.size));

  app.get('/ledger/proof/consistency', {
    schema: { tags: ['ledger'], summary: '一致性证明 Consistency proof', querystring: ZConsistencyQuery, response: { 200: ZConsistencyProof } },
  }, async (request) => service.consistencyProof(services.db, request.query.from, request.query.to));

  app.get('/ledger/receipts/:index', {
    schema: { tags: ['ledger'], summary: '离线凭证 Offline receipt (entry + proof + checkpoint)', params: ZLedgerIndexParams, response: { 200: ZLedgerReceipt } },
  }, async (request, reply) => {
    const receipt = await service.receiptFor(services, request.params.index);
    reply.header('content-disposition', `attachment; filename="ledger-receipt-${request.params.index}.json"`);
    return receipt;
  });

  app.post('/ledger/checkpoints', {
    schema: { tags: ['ledger'], summary: '立即生成检查点 Make a checkpoint now (admin)', response: { 200: z.object({ size: z.number().int(), note: z.string(), isNew: z.boolean() }) } },
  }, async (request) => {
    authorize(requireActor(request), 'ledger.checkpoint');
    return service.makeCheckpoint(services);
  });
}
