import { z } from 'zod';
import {
  ZComplianceQuery, ZComplianceReport, ZCorrectDisclosureRequest, ZCreateDisclosureRequest, ZDisclosure, ZDisclosureCatalog, ZDisclosureItemParams,
  ZDisclosurePage, ZListVillageDisclosuresQuery, ZRegionParams, ZReviewRequest, ZUpdateCatalogItemRequest, ZUpdateCatalogItemResponse, ZUpdateDisclosureRequest,
} from '@cunwu/contract';
import type { TApp } from '../../kernel/app-types';
import { auditContext, optionalActor, requireActor } from '../../kernel/http';
import type { TServices } from '../../kernel/services';
import * as catalog from './disclosures.catalog';
import { complianceReport } from './disclosures.compliance';
import * as service from './disclosures.service';

const ZIdParams = z.object({ id: z.uuid() });

/** Routes for the disclosure catalogue, disclosures (公开) with their versions, and compliance (全覆盖). */
export function disclosuresRoutes(app: TApp, services: TServices): void {
  app.get('/disclosure-catalog', {
    schema: { tags: ['disclosures'], summary: '公开目录 The disclosure catalogue and its ledger snapshot', response: { 200: ZDisclosureCatalog } },
  }, async () => catalog.getCatalog(services));

  app.patch('/disclosure-catalog/:code', {
    schema: { tags: ['disclosures'], summary: '修改公开事项 Edit an item: frequency, due days, active (admin; new ledger snapshot)', params: ZDisclosureItemParams, body: ZUpdateCatalogItemRequest, response: { 200: ZUpdateCatalogItemResponse } },
  }, async (request) => catalog.updateCatalogItem(services, requireActor(request), auditContext(request), request.params.code, request.body));

  app.post('/disclosures', {
    schema: { tags: ['disclosures'], summary: '起草公开 Draft a disclosure of an item for a period or event', body: ZCreateDisclosureRequest, response: { 200: ZDisclosure } },
  }, async (request) => service.createDisclosure(services, requireActor(request), auditContext(request), request.body));

  app.get('/disclosures/:id', {
    schema: { tags: ['disclosures'], summary: '公开详情 A disclosure with every published version, ledger indexes and diffs (ETag; 304 while unchanged)', params: ZIdParams, response: { 200: ZDisclosure, 304: z.null().describe('not modified: the copy named by If-None-Match is current') } },
  }, async (request, reply) => {
    // Revalidated on every use (the viewer's session decides what he sees), answered 304 while unchanged.
    const { etag, disclosure } = await service.getDisclosureIfChanged(services, optionalActor(request), request.params.id, request.headers['if-none-match']);
    reply.header('cache-control', 'private, no-cache').header('vary', 'cookie, authorization');
    if (etag) reply.header('etag', etag);
    if (!disclosure) return reply.code(304).send(null);
    return disclosure;
  });

  app.patch('/disclosures/:id', {
    schema: { tags: ['disclosures'], summary: '修改草稿 Edit a draft', params: ZIdParams, body: ZUpdateDisclosureRequest, response: { 200: ZDisclosure } },
  }, async (request) => service.updateDisclosure(services, requireActor(request), auditContext(request), request.params.id, request.body));

  app.post('/disclosures/:id/submit', {
    schema: { tags: ['disclosures'], summary: '提交 Submit a draft', params: ZIdParams, response: { 200: ZDisclosure } },
  }, async (request) => service.submitDisclosure(services, requireActor(request), auditContext(request), request.params.id));

  app.post('/disclosures/:id/review', {
    schema: { tags: ['disclosures'], summary: '联审 The resident cadre approves (with the unit\'s seal) or rejects (with a reason) a submitted F01 disclosure', params: ZIdParams, body: ZReviewRequest, response: { 200: ZDisclosure } },
  }, async (request) => service.reviewDisclosure(services, requireActor(request), auditContext(request), request.params.id, request.body));

  app.post('/disclosures/:id/publish', {
    schema: { tags: ['disclosures'], summary: '公开 Publish (village cadre): immutable version, ledger entry, notice to the groups', params: ZIdParams, response: { 200: ZDisclosure } },
  }, async (request) => service.publishDisclosure(services, requireActor(request), auditContext(request), request.params.id));

  app.post('/disclosures/:id/correct', {
    schema: { tags: ['disclosures'], summary: '更正 Publish a correction as a new version (the old one stays visible)', params: ZIdParams, body: ZCorrectDisclosureRequest, response: { 200: ZDisclosure } },
  }, async (request) => service.correctDisclosure(services, requireActor(request), auditContext(request), request.params.id, request.body));

  app.get('/villages/:code/disclosures', {
    schema: { tags: ['disclosures'], summary: '本村公开 A village\'s disclosures (drafts only for its bookkeeper and cadres)', params: ZRegionParams, querystring: ZListVillageDisclosuresQuery, response: { 200: ZDisclosurePage } },
  }, async (request) => service.listVillageDisclosures(services, requireActor(request), request.params.code, request.query));

  app.get('/compliance', {
    schema: { tags: ['disclosures'], summary: '公开全覆盖 Compliance of a region: on time, late, missing per item, child region; villages to chase', querystring: ZComplianceQuery, response: { 200: ZComplianceReport } },
  }, async (request) => complianceReport(services, requireActor(request), request.query));
}
