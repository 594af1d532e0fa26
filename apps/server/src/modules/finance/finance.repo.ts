import { sql, type SqlBool } from 'kysely';
import type { TTx } from '../../kernel/db';
import type { TScope } from '../../kernel/policy';
import { inScope } from '../../kernel/scope';

// The only SQL of the village ledger (收支明细), invoices (原始票据) and the joint review (联审). Every
// query that a viewer's request reaches takes the viewer's scope or a village code the service has
// checked against it.

// ---------- regions and people ----------

/** A village (level village) with its name. */
export async function findVillage(tx: TTx, code: string): Promise<{ code: string; name: string } | undefined> {
  return tx.selectFrom('regions').select(['code', 'name']).where('code', '=', code).where('level', '=', 'village').executeTakeFirst();
}

/** Regions by code with their level and name (reviewer units). */
export async function findRegions(tx: TTx, codes: string[]): Promise<{ code: string; name: string; level: string }[]> {
  if (codes.length === 0) return [];
  return tx.selectFrom('regions').select(['code', 'name', 'level']).where('code', 'in', codes).execute();
}

// ---------- invoices ----------

/** An invoice row with its uploader's name. */
export interface TInvoiceRow extends Omit<TNewInvoice, 'qrKind' | 'qrCheckCode'> {
  id: string;
  taxFen: number | null;
  sellerName: string | null;
  sellerTaxId: string | null;
  confirmedAt: Date | null;
  lineId: string | null;
  uploaderName: string;
}

const INVOICE_COLUMNS = [
  'i.id', 'i.regionCode', 'i.fileSha256', 'i.mimeType', 'i.sizeBytes', 'i.width', 'i.height', 'i.pageCount', 'i.thumbnailSha256', 'i.qrStatus', 'i.qrText',
  'i.qrMessage', 'i.qrCode', 'i.qrNumber', 'i.qrDate', 'i.qrAmountFen', 'i.code', 'i.number', 'i.invoiceDate', 'i.amountFen', 'i.taxFen', 'i.sellerName',
  'i.sellerTaxId', 'i.confirmedAt', 'i.lineId', 'i.uploadedBy', 'i.uploadedAt', 'u.name as uploaderName',
] as const;

/** What an upload stores about an invoice. */
export interface TNewInvoice {
  regionCode: string;
  fileSha256: string;
  mimeType: string;
  sizeBytes: number;
  width: number | null;
  height: number | null;
  pageCount: number | null;
  thumbnailSha256: string;
  qrStatus: string;
  qrText: string | null;
  qrMessage: string | null;
  qrCode: string | null;
  qrNumber: string | null;
  qrDate: string | null;
  qrAmountFen: number | null;
  qrKind: string | null;
  qrCheckCode: string | null;
  code: string | null;
  number: string | null;
  invoiceDate: string | null;
  amountFen: number | null;
  uploadedBy: string;
  uploadedAt: Date;
}

/** Insert an uploaded invoice. */
export async function insertInvoice(tx: TTx, values: TNewInvoice): Promise<string> {
  return (await tx.insertInto('invoices').values({ ...values, updatedAt: values.uploadedAt }).returning('id').executeTakeFirstOrThrow()).id;
}

/** Invoices by id or by line, with their uploaders' names, oldest first. */
export async function findInvoices(tx: TTx, filter: { ids?: string[]; lineIds?: string[] }): Promise<TInvoiceRow[]> {
  if ((filter.ids && filter.ids.length === 0) || (filter.lineIds && filter.lineIds.length === 0)) return [];
  let query = tx.selectFrom('invoices as i').innerJoin('users as u', 'u.id', 'i.uploadedBy').select(INVOICE_COLUMNS);
  if (filter.ids) query = query.where('i.id', 'in', filter.ids);
  if (filter.lineIds) query = query.where('i.lineId', 'in', filter.lineIds);
  return query.orderBy('i.uploadedAt').orderBy('i.id').execute();
}

/** One invoice in scope, locked for a change (undefined when unknown or outside the scope). */
export async function lockInvoice(tx: TTx, id: string, scope: TScope): Promise<{ id: string; regionCode: string; lineId: string | null } | undefined> {
  return tx.selectFrom('invoices').select(['id', 'regionCode', 'lineId']).where('id', '=', id).where((eb) => inScope(eb, 'regionCode', scope)).forUpdate().executeTakeFirst();
}

/** Invoices to attach to a line, locked (any village: the service checks each). */
export async function lockInvoices(tx: TTx, ids: string[]): Promise<{ id: string; regionCode: string; lineId: string | null; uploadedBy: string }[]> {
  if (ids.length === 0) return [];
  return tx.selectFrom('invoices').select(['id', 'regionCode', 'lineId', 'uploadedBy']).where('id', 'in', ids).orderBy('id').forUpdate().execute();
}

/** The typed fields and confirmation of an invoice. */
export async function updateInvoice(
  tx: TTx,
  id: string,
  patch: Partial<{ code: string | null; number: string | null; invoiceDate: string | null; amountFen: number | null; taxFen: number | null; sellerName: string | null; sellerTaxId: string | null; confirmedAt: Date | null; confirmedBy: string | null }>,
  now: Date,
): Promise<void> {
  await tx.updateTable('invoices').set({ ...patch, updatedAt: now }).where('id', '=', id).execute();
}

/** Attach invoices to a line (or detach them with null). */
export async function setInvoicesLine(tx: TTx, ids: string[], lineId: string | null, now: Date): Promise<void> {
  if (ids.length === 0) return;
  await tx.updateTable('invoices').set({ lineId, updatedAt: now }).where('id', 'in', ids).execute();
}

/** Other invoices with the same bytes as the given files (same photo uploaded twice: a red-flag signal). */
export async function findDuplicates(tx: TTx, sha256s: string[]): Promise<{ invoiceId: string; fileSha256: string; villageCode: string; villageName: string }[]> {
  if (sha256s.length === 0) return [];
  return tx
    .selectFrom('invoices as i')
    .innerJoin('regions as r', 'r.code', 'i.regionCode')
    .select(['i.id as invoiceId', 'i.fileSha256', 'i.regionCode as villageCode', 'r.name as villageName'])
    .where('i.fileSha256', 'in', [...new Set(sha256s)])
    // Only invoices that back a line count: a photo uploaded and then dropped from the form is no claim.
    .where('i.lineId', 'is not', null)
    .orderBy('i.uploadedAt')
    .execute();
}

/**
 * What deciding who may fetch an invoice's bytes needs: its village, files, and whether its line was
 * published by an F01 disclosure that is published.
 */
export async function findInvoiceAccess(tx: TTx, id: string): Promise<{ regionCode: string; fileSha256: string; mimeType: string; sizeBytes: number; thumbnailSha256: string; isPublished: boolean } | undefined> {
  return tx
    .selectFrom('invoices as i')
    .leftJoin('ledgerLines as l', 'l.id', 'i.lineId')
    .leftJoin('disclosures as d', 'd.id', 'l.disclosureId')
    .select(['i.regionCode', 'i.fileSha256', 'i.mimeType', 'i.sizeBytes', 'i.thumbnailSha256', sql<boolean>`coalesce(d.status = 'published', false)`.as('isPublished')])
    .where('i.id', '=', id)
    .executeTakeFirst();
}

// ---------- ledger lines ----------

/** A ledger line with its village's and creator's names and the disclosure it is listed in. */
export interface TLineRow {
  id: string;
  regionCode: string;
  villageName: string;
  direction: string;
  lineDate: string;
  amountFen: number;
  subject: string;
  counterparty: string;
  counterpartyKind: string;
  paymentMethod: string;
  voucherNo: string;
  summary: string | null;
  reviewStatus: string;
  disclosureId: string | null;
  createdBy: string;
  createdByName: string;
  createdAt: Date;
  updatedAt: Date;
  /** The disclosure (F01) the line is listed in, published or not, and its state. */
  listedIn: string | null;
  listedStatus: string | null;
  /** The period of that disclosure (its lines are dated inside it). */
  listedFrom: string | null;
  listedTo: string | null;
}

/** The editable fields of a line. */
export interface TLineFields {
  direction: string;
  lineDate: string;
  amountFen: number;
  subject: string;
  counterparty: string;
  counterpartyKind: string;
  paymentMethod: string;
  voucherNo: string;
  summary: string | null;
}

function linesQuery(tx: TTx) {
  return tx
    .selectFrom('ledgerLines as l')
    .innerJoin('regions as r', 'r.code', 'l.regionCode')
    .innerJoin('users as u', 'u.id', 'l.createdBy')
    .leftJoin('disclosureLines as dl', 'dl.lineId', 'l.id')
    .leftJoin('disclosures as d', 'd.id', 'dl.disclosureId')
    .select([
      'l.id', 'l.regionCode', 'r.name as villageName', 'l.direction', 'l.lineDate', 'l.amountFen', 'l.subject', 'l.counterparty', 'l.counterpartyKind', 'l.paymentMethod',
      'l.voucherNo', 'l.summary', 'l.reviewStatus', 'l.disclosureId', 'l.createdBy', 'u.name as createdByName', 'l.createdAt', 'l.updatedAt',
      'dl.disclosureId as listedIn', 'd.status as listedStatus', 'd.periodStart as listedFrom', 'd.periodEnd as listedTo',
    ]);
}

/** Insert lines (one statement); ids in input order. */
export async function insertLines(tx: TTx, rows: (TLineFields & { regionCode: string; reviewStatus: string; createdBy: string; createdAt: Date })[]): Promise<string[]> {
  if (rows.length === 0) return [];
  const inserted = await tx.insertInto('ledgerLines').values(rows.map((r) => ({ ...r, updatedAt: r.createdAt }))).returning('id').execute();
  return inserted.map((r) => r.id);
}

/** One line with names (no scope: the service decides who may see it). */
export async function findLine(tx: TTx, id: string): Promise<TLineRow | undefined> {
  return linesQuery(tx).where('l.id', '=', id).executeTakeFirst();
}

/** Lines by id, with names. */
export async function findLines(tx: TTx, ids: string[]): Promise<TLineRow[]> {
  if (ids.length === 0) return [];
  return linesQuery(tx).where('l.id', 'in', ids).orderBy('l.lineDate').orderBy('l.createdAt').orderBy('l.id').execute();
}

/** Lock a line in scope for a change, then read it with names (undefined when unknown or outside the scope). */
export async function lockLine(tx: TTx, id: string, scope: TScope): Promise<TLineRow | undefined> {
  const locked = await tx.selectFrom('ledgerLines').select('id').where('id', '=', id).where((eb) => inScope(eb, 'regionCode', scope)).forUpdate().executeTakeFirst();
  return locked ? findLine(tx, id) : undefined;
}

/** Every line of a village dated in [from, to], in date order. */
export async function findVillageLines(tx: TTx, villageCode: string, from: string, to: string): Promise<TLineRow[]> {
  return linesQuery(tx)
    .where('l.regionCode', '=', villageCode)
    .where('l.lineDate', '>=', from)
    .where('l.lineDate', '<=', to)
    .orderBy('l.lineDate')
    .orderBy('l.createdAt')
    .orderBy('l.id')
    .execute();
}

/** Change a line's fields or review state. */
export async function updateLine(tx: TTx, id: string, patch: Partial<TLineFields & { reviewStatus: string }>, now: Date): Promise<void> {
  await tx.updateTable('ledgerLines').set({ ...patch, updatedAt: now }).where('id', '=', id).execute();
}

/** Identity of lines for the idempotent import: (date, direction, amount, subject, counterparty, voucher). */
export async function findLineKeys(tx: TTx, villageCode: string, from: string, to: string): Promise<{ lineDate: string; direction: string; amountFen: number; subject: string; counterparty: string; voucherNo: string }[]> {
  return tx
    .selectFrom('ledgerLines')
    .select(['lineDate', 'direction', 'amountFen', 'subject', 'counterparty', 'voucherNo'])
    .where('regionCode', '=', villageCode)
    .where('lineDate', '>=', from)
    .where('lineDate', '<=', to)
    .execute();
}

/** Serialise imports into one village's ledger (the duplicate check and the inserts are one step). */
export async function lockVillageLedger(tx: TTx, villageCode: string): Promise<void> {
  await sql`SELECT pg_advisory_xact_lock(hashtext(${`ledger-lines:${villageCode}`}))`.execute(tx);
}

// ---------- joint review ----------

/** A recorded review decision. */
export interface TReviewRow {
  id: string;
  subjectId: string;
  decision: string;
  reason: string | null;
  reviewerId: string;
  reviewerName: string;
  reviewerUnit: string;
  stampSha256: string | null;
  reviewedAt: Date;
}

/** Decisions on lines, newest first. */
export async function findLineReviews(tx: TTx, lineIds: string[]): Promise<TReviewRow[]> {
  if (lineIds.length === 0) return [];
  return tx
    .selectFrom('lineReviews')
    .select(['id', 'lineId as subjectId', 'decision', 'reason', 'reviewerId', 'reviewerName', 'reviewerUnit', 'stampSha256', 'reviewedAt'])
    .where('lineId', 'in', lineIds)
    .orderBy('reviewedAt', 'desc')
    .orderBy('id', 'desc')
    .execute();
}

/** A review decision as recorded (append-only). */
export interface TNewReview {
  regionCode: string;
  decision: string;
  reason: string | null;
  reviewerId: string;
  reviewerName: string;
  reviewerUnitCode: string;
  reviewerUnit: string;
  stampSha256: string | null;
  ledgerIdx: number;
  reviewedAt: Date;
}

/** Append a decision on a line. */
export async function insertLineReview(tx: TTx, lineId: string, row: TNewReview): Promise<void> {
  await tx.insertInto('lineReviews').values({ ...row, lineId }).execute();
}

/** The stamp of a reviewing unit. */
export async function findStamp(tx: TTx, unitCode: string): Promise<{ unitName: string; stampSha256: string } | undefined> {
  return tx.selectFrom('reviewStamps').select(['unitName', 'stampSha256']).where('regionCode', '=', unitCode).executeTakeFirst();
}

/** Record (or, after a rename of the unit, replace) a unit's stamp. */
export async function upsertStamp(tx: TTx, row: { regionCode: string; unitName: string; stampSha256: string }): Promise<void> {
  await tx
    .insertInto('reviewStamps')
    .values(row)
    .onConflict((oc) => oc.column('regionCode').doUpdateSet({ unitName: (eb) => eb.ref('excluded.unitName'), stampSha256: (eb) => eb.ref('excluded.stampSha256') }))
    .execute();
}

/** Whether the bytes are a stamp image some unit has or some decision recorded. */
export async function isStamp(tx: TTx, sha256: string): Promise<boolean> {
  const row = await sql<{ found: boolean }>`
    SELECT EXISTS (SELECT 1 FROM review_stamps WHERE stamp_sha256 = ${sha256})
        OR EXISTS (SELECT 1 FROM line_reviews WHERE stamp_sha256 = ${sha256})
        OR EXISTS (SELECT 1 FROM disclosure_reviews WHERE stamp_sha256 = ${sha256}) AS found`.execute(tx);
  return row.rows[0]?.found === true;
}

/** Filter of the review queue. */
export interface TQueueFilter {
  scope: TScope;
  /** Narrow to a region inside (or around) the scope. */
  regionPrefix: string | null;
  status: string;
  after?: { at: string; id: string };
  limit: number;
}

function queueWhere(filter: Pick<TQueueFilter, 'scope' | 'regionPrefix'>) {
  return sql<SqlBool>`${filter.regionPrefix ? sql`l.region_code LIKE ${`${filter.regionPrefix}%`}` : sql`true`}`;
}

/** Expense lines of a review state in scope, oldest first (first in, first reviewed). */
export async function findQueueLines(tx: TTx, filter: TQueueFilter): Promise<TLineRow[]> {
  let query = linesQuery(tx)
    .where('l.direction', '=', 'expense')
    .where('l.reviewStatus', '=', filter.status)
    .where((eb) => inScope(eb, 'l.regionCode', filter.scope))
    .where(queueWhere(filter));
  if (filter.after) query = query.where(sql<SqlBool>`(l.created_at, l.id) > (${filter.after.at}::timestamptz, ${filter.after.id}::uuid)`);
  return query.orderBy('l.createdAt').orderBy('l.id').limit(filter.limit).execute();
}

/** How many expenses wait for review in scope. */
export async function countPending(tx: TTx, filter: Pick<TQueueFilter, 'scope' | 'regionPrefix'>): Promise<number> {
  const row = await tx
    .selectFrom('ledgerLines as l')
    .select((eb) => eb.fn.countAll<number>().as('count'))
    .where('l.direction', '=', 'expense')
    .where('l.reviewStatus', '=', 'pending')
    .where((eb) => inScope(eb, 'l.regionCode', filter.scope))
    .where(queueWhere(filter))
    .executeTakeFirstOrThrow();
  return Number(row.count);
}

/** Submitted disclosures of reviewed items in scope, oldest submission first, with their unapproved expenses. */
export async function findQueueDisclosures(tx: TTx, filter: Pick<TQueueFilter, 'scope' | 'regionPrefix'> & { itemCodes: string[]; limit: number }) {
  if (filter.itemCodes.length === 0) return [];
  return tx
    .selectFrom('disclosures as d')
    .innerJoin('regions as r', 'r.code', 'd.regionCode')
    .select([
      'd.id', 'd.regionCode', 'r.name as villageName', 'd.itemCode', 'd.period', 'd.title', 'd.submittedAt',
      sql<number>`(SELECT count(*) FROM disclosure_lines dl JOIN ledger_lines l ON l.id = dl.line_id
                   WHERE dl.disclosure_id = d.id AND l.direction = 'expense' AND l.review_status <> 'approved')::int`.as('pendingLines'),
    ])
    .where('d.status', '=', 'submitted')
    .where('d.itemCode', 'in', filter.itemCodes)
    .where((eb) => inScope(eb, 'd.regionCode', filter.scope))
    .where(filter.regionPrefix ? sql<SqlBool>`d.region_code LIKE ${`${filter.regionPrefix}%`}` : sql<SqlBool>`true`)
    .orderBy('d.submittedAt')
    .orderBy('d.id')
    .limit(filter.limit)
    .execute();
}

// ---------- lines listed in disclosures (F01) ----------

/** Lines of a village to list in a disclosure, locked, with where they are listed now. */
export async function lockLinesForListing(tx: TTx, ids: string[]): Promise<{ id: string; regionCode: string; lineDate: string; disclosureId: string | null; listedIn: string | null }[]> {
  if (ids.length === 0) return [];
  const locked = await tx.selectFrom('ledgerLines').select('id').where('id', 'in', ids).orderBy('id').forUpdate().execute();
  if (locked.length === 0) return [];
  return tx
    .selectFrom('ledgerLines as l')
    .leftJoin('disclosureLines as dl', 'dl.lineId', 'l.id')
    .select(['l.id', 'l.regionCode', 'l.lineDate', 'l.disclosureId', 'dl.disclosureId as listedIn'])
    .where('l.id', 'in', locked.map((r) => r.id))
    .execute();
}

/** Lines of a village dated in [from, to] that no disclosure lists yet. */
export async function findUnlistedLines(tx: TTx, villageCode: string, from: string, to: string): Promise<string[]> {
  const rows = await tx
    .selectFrom('ledgerLines as l')
    .select('l.id')
    .where('l.regionCode', '=', villageCode)
    .where('l.lineDate', '>=', from)
    .where('l.lineDate', '<=', to)
    .where(({ not, exists, selectFrom }) => not(exists(selectFrom('disclosureLines as dl').select('dl.lineId').whereRef('dl.lineId', '=', 'l.id'))))
    .orderBy('l.lineDate')
    .orderBy('l.id')
    .execute();
  return rows.map((r) => r.id);
}

/** Ids of the lines a disclosure lists, with whether each is already published. */
export async function findListedLineIds(tx: TTx, disclosureId: string): Promise<{ lineId: string; isPublished: boolean }[]> {
  return tx
    .selectFrom('disclosureLines as dl')
    .innerJoin('ledgerLines as l', 'l.id', 'dl.lineId')
    .select(['dl.lineId', sql<boolean>`l.disclosure_id IS NOT NULL`.as('isPublished')])
    .where('dl.disclosureId', '=', disclosureId)
    .execute();
}

/** Take lines off a disclosure's list (never published ones: the table refuses). */
export async function unlistLines(tx: TTx, disclosureId: string, lineIds: string[]): Promise<void> {
  if (lineIds.length === 0) return;
  await tx.deleteFrom('disclosureLines').where('disclosureId', '=', disclosureId).where('lineId', 'in', lineIds).execute();
}

/** Put lines on a disclosure's list. */
export async function listLines(tx: TTx, disclosure: { id: string; regionCode: string }, lineIds: string[]): Promise<void> {
  if (lineIds.length === 0) return;
  await tx.insertInto('disclosureLines').values(lineIds.map((lineId) => ({ regionCode: disclosure.regionCode, disclosureId: disclosure.id, lineId }))).execute();
}

/** The lines a disclosure lists, with names, in date order. */
export async function findListedLines(tx: TTx, disclosureId: string): Promise<TLineRow[]> {
  return linesQuery(tx).where('dl.disclosureId', '=', disclosureId).orderBy('l.lineDate').orderBy('l.createdAt').orderBy('l.id').execute();
}

/** Mark the listed lines published by the disclosure (same transaction as the version). */
export async function markLinesPublished(tx: TTx, disclosureId: string, now: Date): Promise<number> {
  const result = await tx
    .updateTable('ledgerLines')
    .set({ disclosureId, updatedAt: now })
    .where('disclosureId', 'is', null)
    .where('id', 'in', (eb) => eb.selectFrom('disclosureLines').select('lineId').where('disclosureId', '=', disclosureId))
    .executeTakeFirst();
  return Number(result.numUpdatedRows);
}
