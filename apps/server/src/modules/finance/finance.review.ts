import { Readable } from 'node:stream';
import { contentDigest, regionPrefix, type TLedgerLine, type TReviewDecision, type TReviewQueue, type TReviewQueueQuery, type TReviewRequest } from '@cunwu/contract';
import { recordAudit, type TAuditContext } from '../../kernel/audit';
import { decodeTimeCursor, encodeTimeCursor } from '../../kernel/cursor';
import type { TTx } from '../../kernel/db';
import { AppError } from '../../kernel/errors';
import { recordFile } from '../../kernel/files.repo';
import { authorize, isInScope, type TActor, type TScope } from '../../kernel/policy';
import type { TServices } from '../../kernel/services';
import { appendEntry } from '../ledger';
import { FINANCE_REFUSALS, isOwnEntry, LEDGER_ITEMS, lineReviewRefusal } from './finance.policy';
import * as repo from './finance.repo';
import { getLine, loadLines } from './finance.service';
import { renderStamp } from './stamp';

// The joint review (联审): the resident cadre of the village's town approves or rejects every expense
// (and, through the disclosures module, every F01 disclosure). An approval is signed with the
// reviewer's name, the time, his unit and the unit's seal image; nobody reviews his own entries.

/** Who signs a decision: the reviewer, his unit (the town government) and, for an approval, its seal. */
export interface TReviewSignature {
  reviewerId: string;
  reviewerName: string;
  unitCode: string;
  unitName: string;
  stampSha256: string | null;
}

/** 梅山镇 → 梅山镇人民政府; a subdistrict (泉秀街道) is run by its office (泉秀街道办事处). */
export function unitNameOf(townName: string): string {
  return townName.endsWith('街道') ? `${townName}办事处` : `${townName}人民政府`;
}

/**
 * The reviewer's unit for a village: the town of his resident-cadre assignment that covers it (a
 * resident cadre assigned to the village itself belongs to the village's town).
 */
async function reviewerUnit(tx: TTx, actor: TActor, villageCode: string): Promise<{ code: string; name: string }> {
  const assignments = actor.roles
    .filter((r) => r.role === 'resident_cadre' && villageCode.startsWith(regionPrefix(r.regionCode)))
    .sort((a, b) => regionPrefix(b.regionCode).length - regionPrefix(a.regionCode).length);
  const assigned = assignments[0];
  if (!assigned) throw new AppError('FORBIDDEN', 'only the resident cadre of the village reviews / 只有驻村干部可以联审');
  const unitCode = regionPrefix(assigned.regionCode).length >= 12 ? `${assigned.regionCode.slice(0, 9)}000` : assigned.regionCode;
  const [region] = await repo.findRegions(tx, [unitCode]);
  if (!region) throw new AppError('FORBIDDEN', 'the reviewer\'s unit is not a known region / 联审单位不存在');
  return { code: region.code, name: region.level === 'town' ? unitNameOf(region.name) : region.name };
}

/**
 * The unit's seal image, rendered and stored on first use (content-addressed, so two reviewers racing
 * store the same bytes); re-rendered when the unit's name changed. Outside the review's transaction:
 * rendering takes a moment and a stamp kept after a failed review is harmless.
 */
async function unitStamp(services: TServices, unit: { code: string; name: string }): Promise<string> {
  const existing = await repo.findStamp(services.db, unit.code);
  if (existing && existing.unitName === unit.name && (await services.files.has(existing.stampSha256))) return existing.stampSha256;
  const png = await renderStamp(unit.name);
  const stored = await services.files.put(Readable.from([png]));
  await services.db.transaction().execute(async (tx) => {
    await recordFile(tx, { sha256: stored.sha256, sizeBytes: stored.sizeBytes, mimeType: 'image/png' });
    await repo.upsertStamp(tx, { regionCode: unit.code, unitName: unit.name, stampSha256: stored.sha256 });
  });
  return stored.sha256;
}

/** The signature of a decision on something of `villageCode` (the stamp only for approvals). */
export async function signReview(services: TServices, actor: TActor, villageCode: string, decision: TReviewDecision): Promise<TReviewSignature> {
  const unit = await reviewerUnit(services.db, actor, villageCode);
  const stampSha256 = decision === 'approve' ? await unitStamp(services, unit) : null;
  return { reviewerId: actor.userId, reviewerName: actor.name, unitCode: unit.code, unitName: unit.name, stampSha256 };
}

/** `GET /stamps/{sha256}.png`: a unit's seal image (public: it is shown beside published approvals). */
export async function openStamp(services: TServices, sha256: string): Promise<{ stream: () => Readable }> {
  if (!(await repo.isStamp(services.db, sha256))) throw new AppError('NOT_FOUND', 'stamp');
  return { stream: () => services.files.get(sha256) };
}

/**
 * `POST /reviews/{lineId}`: the resident cadre approves or rejects a pending expense. One transaction:
 * the decision (append-only), the line's state, an audit event and a ledger entry whose digest covers
 * the line as reviewed (never the counterparty or the reason: no personal data in the ledger).
 */
export async function reviewLine(services: TServices, actor: TActor, ctx: TAuditContext, lineId: string, input: TReviewRequest): Promise<TLedgerLine> {
  const scope = authorize(actor, 'finance.review');
  const found = await repo.findLine(services.db, lineId);
  if (!found || !isInScope(scope, found.regionCode)) throw new AppError('NOT_FOUND', `ledger line ${lineId}`);
  // Refuse early what will be refused anyway (before the seal is rendered); checked again under the lock.
  const check = (line: repo.TLineRow, invoices: repo.TInvoiceRow[]) => {
    if (isOwnEntry(actor, line, invoices.map((i) => i.uploadedBy))) throw new AppError('FORBIDDEN', FINANCE_REFUSALS.ownEntry);
    const why = lineReviewRefusal(line);
    if (why) throw new AppError('CONFLICT', why);
  };
  check(found, await repo.findInvoices(services.db, { lineIds: [lineId] }));
  const signature = await signReview(services, actor, found.regionCode, input.decision);
  await services.db.transaction().execute(async (tx) => {
    const line = await repo.lockLine(tx, lineId, scope);
    if (!line) throw new AppError('NOT_FOUND', `ledger line ${lineId}`);
    const invoices = await repo.findInvoices(tx, { lineIds: [lineId] });
    check(line, invoices);
    const now = services.clock.now();
    const reviewedAt = now.toISOString();
    const digest = contentDigest({
      schema: 'line-review/1',
      line: line.id, village: line.regionCode, direction: line.direction, date: line.lineDate, amountFen: line.amountFen, subject: line.subject, voucherNo: line.voucherNo,
      invoices: invoices.map((i) => i.fileSha256).sort(),
      decision: input.decision, reviewerUnit: signature.unitName, reviewedAt,
    });
    const ledger = await appendEntry(tx, { type: 'finance.line_reviewed', ref: `ledger-line:${line.id}`, digest, extra: { village: line.regionCode, decision: input.decision } }, now);
    await repo.insertLineReview(tx, line.id, {
      regionCode: line.regionCode, decision: input.decision, reason: input.reason ? input.reason : null, reviewerId: signature.reviewerId, reviewerName: signature.reviewerName,
      reviewerUnitCode: signature.unitCode, reviewerUnit: signature.unitName, stampSha256: signature.stampSha256, ledgerIdx: ledger.index, reviewedAt: now,
    });
    await repo.updateLine(tx, line.id, { reviewStatus: input.decision === 'approve' ? 'approved' : 'rejected' }, now);
    await recordAudit(tx, ctx, { action: 'finance.line.review', entityType: 'ledger_line', entityId: line.id, regionCode: line.regionCode, details: { decision: input.decision, ledgerIndex: ledger.index, digest } });
  });
  return getLine(services, actor, lineId);
}

/** The scope narrowed to `region` (inside or around it); 404 when the region lies outside the scope. */
function queueRegion(scope: TScope, region: string | undefined): string | null {
  if (!region) return null;
  const prefix = regionPrefix(region);
  if (!scope.prefixes.some((p) => prefix.startsWith(p) || p.startsWith(prefix))) throw new AppError('NOT_FOUND', `region ${region}`);
  return prefix;
}

/**
 * `GET /reviews/queue`: the expenses of the reviewer's villages in a review state, oldest first, with
 * their invoices; and the F01 disclosures submitted for his approval.
 */
export async function reviewQueue(services: TServices, actor: TActor, query: TReviewQueueQuery): Promise<TReviewQueue> {
  const scope = authorize(actor, 'finance.review');
  const regionPrefix = queueRegion(scope, query.region);
  const after = query.cursor ? decodeTimeCursor(query.cursor) : undefined;
  const [rows, pendingCount, disclosures] = await Promise.all([
    repo.findQueueLines(services.db, { scope, regionPrefix, status: query.status, after, limit: query.limit + 1 }),
    repo.countPending(services.db, { scope, regionPrefix }),
    query.cursor ? Promise.resolve([]) : repo.findQueueDisclosures(services.db, { scope, regionPrefix, itemCodes: [...LEDGER_ITEMS], limit: 100 }),
  ]);
  const page = rows.slice(0, query.limit);
  const last = page[page.length - 1];
  return {
    lines: await loadLines(services.db, actor, page),
    disclosures: disclosures.map((d) => ({
      id: d.id, villageCode: d.regionCode, villageName: d.villageName, itemCode: d.itemCode, period: d.period, title: d.title,
      submittedAt: d.submittedAt ? new Date(d.submittedAt).toISOString() : null, pendingLines: d.pendingLines,
    })),
    pendingCount,
    nextCursor: rows.length > query.limit && last ? encodeTimeCursor({ at: last.createdAt, id: last.id }) : null,
  };
}
