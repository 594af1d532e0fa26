import { randomUUID } from 'node:crypto';
import { IMPORT_LIMITS, type TImportError, type TRegionLevel } from '@cunwu/contract';
import { recordAudit, type TAuditContext } from '../../kernel/audit';
import { keyedHash } from '../../kernel/auth';
import type { TTx } from '../../kernel/db';
import { isInScope, type TScope } from '../../kernel/policy';
import type { TServices } from '../../kernel/services';
import * as repo from './imports.repo';
import { isBlankRow, matchHeader, missingColumns, SeenKeys, tagOf, validateRow, type TColumnMap, type TImportField, type TValidRow } from './imports.rows';
import { checkFileKind, ImportFailure, MAX_XLSX_RATIO, openImportSource, readHead, type TImportSource, type TReaderLimits } from './imports.sources';

/** How a run is tuned and observed (tests lower limits; the CLI prints progress). */
export interface TRunOptions {
  /** Rows per transaction. */
  batchSize?: number;
  limits?: Partial<TReaderLimits>;
  /** Where the upload came from, for the job's audit event. */
  audit?: { requestId: string | null; ip: string | null };
  /** Called after every committed batch with the job's counters. */
  onProgress?(counters: repo.TImportCounters): void;
  /** Called after every committed batch; a test throws here to simulate a crash. */
  afterBatch?(batchNumber: number): void | Promise<void>;
}

/** Batches of a few thousand rows: big enough that per-statement costs vanish, small enough for live progress. */
export const DEFAULT_BATCH_SIZE = 2000;
const HEADER_SEARCH_ROWS = 10;
/** Statistics are refreshed after 5,000 written rows, then whenever the rows written have doubled. */
const ANALYZE_AFTER_ROWS = 5000;

/** A row read but not yet checked against villages, scope and the rest of the file. */
type TPendingRow = { row: TValidRow; isReplay: boolean } | { invalid: { rowNumber: number; villageCode: string | null; errors: TImportError[] } };

/** A row that passed every check that needs no write: fields, village, scope, duplicates in the file. */
interface TReadyRow extends TValidRow {
  idHash: Buffer | null;
  idLast4: string | null;
}

/** What a batch changed, applied to the counters once its transaction has committed. */
interface TBatchResult {
  inserted: number;
  updated: number;
  unchanged: number;
  errors: TImportError[];
  groupsCreated: number;
  /** Group ids learnt in this batch, cached only once it has committed (a retried batch may have made them). */
  groupIds: Map<string, string>;
}

const REASONS = {
  notFound: '村代码不存在 / no region has this code',
  notVillage: (level: string) => `不是村级区划（${level}）/ not a village-level code (${level})`,
  outOfScope: '超出您的管辖范围 / outside your scope',
  duplicate: (row: number) => `与第 ${row} 行重复（同一村民）/ duplicate of row ${row} (same member)`,
  idInOtherHouseholdInFile: (row: number) => `与第 ${row} 行的身份证号相同，但户号不同 / same ID number as row ${row} but in another household`,
  headNameDiffers: (row: number) => `户主姓名与第 ${row} 行（同一户）不一致 / head name differs from row ${row} of the same household`,
  idInOtherHousehold: (no: string) => `该身份证号已登记在本村户号 ${no} / this ID number is already registered in household ${no} of this village`,
  phoneTwiceInBatch: (row: number) => `手机号与第 ${row} 行另一村民的相同 / the same phone is given for another member on row ${row}`,
  phoneTaken: '手机号已被其他村民使用 / this phone is already used by another member',
  sameMemberTwice: (row: number) => `与第 ${row} 行是同一村民 / the same member as row ${row}`,
  noHeader: `找不到表头行：前 ${HEADER_SEARCH_ROWS} 行中没有“村代码、户号、户主姓名、姓名”等列名 / no header row: the first ${HEADER_SEARCH_ROWS} rows have no column names such as villageCode, householdNo, headName, name`,
  internal: '导入因服务器内部错误中断，已导入的批次保留；重新导入同一文件即可补全 / the import stopped on an internal error; committed batches are kept and importing the same file again completes it',
} as const;

function isUniqueViolation(error: unknown): boolean {
  return (error as { code?: string })?.code === '23505';
}

/**
 * One run of a household import job: reads the stored file row by row, checks each row, and writes
 * batches in their own transactions while the next batch is being read. Counters and the first
 * errors are saved with every batch, so the console shows progress and a crash leaves a consistent
 * partial import; running the job again skips the rows already committed (the file is re-read for
 * its duplicate checks) and a new upload of the same file changes nothing.
 */
class HouseholdImportRun {
  private readonly counters: repo.TImportCounters;
  private readonly scope: TScope;
  private readonly limits: TReaderLimits;
  private readonly batchSize: number;
  private readonly resumeAfter: number;
  private storedErrors: number;
  private groupsCreated = 0;
  private batchNumber = 0;
  private dataRows = 0;
  private columns: TColumnMap = {};
  private readonly regionLevels = new Map<string, TRegionLevel | null>();
  private readonly groupIds = new Map<string, string>();
  private readonly seenMembers = new SeenKeys();
  private readonly seenHouseholds = new SeenKeys();
  private inFlight: Promise<void> | null = null;
  private written = 0;
  private writtenAtAnalyze = 0;

  constructor(
    private readonly services: TServices,
    private readonly job: repo.TImportJobRow,
    private readonly options: TRunOptions,
  ) {
    this.counters = { total: job.total, processed: job.processed, inserted: job.inserted, updated: job.updated, unchanged: job.unchanged, errorCount: job.errorCount };
    this.scope = { prefixes: job.scopePrefixes };
    this.limits = { maxXlsxEntryBytes: IMPORT_LIMITS.maxXlsxEntryBytes, maxXlsxRatio: MAX_XLSX_RATIO, ...options.limits };
    this.batchSize = options.batchSize ?? DEFAULT_BATCH_SIZE;
    this.resumeAfter = job.processed;
    this.storedErrors = job.errors.length;
  }

  async execute(): Promise<void> {
    let source: TImportSource | null = null;
    try {
      const { files } = this.services;
      const kind = await checkFileKind(await readHead(files.get(this.job.fileSha256)), this.job.fileName);
      source = await openImportSource(files, this.job.fileSha256, kind, this.limits);
      await this.consume(source);
    } catch (error) {
      await this.inFlight?.catch(() => {});
      await this.fail(error);
    } finally {
      await source?.close();
    }
  }

  private async consume(source: TImportSource): Promise<void> {
    let headerRow = 0;
    let scanned = 0;
    let pending: TPendingRow[] = [];
    let batchRows = 0;
    let processed = 0;
    for await (const raw of source.rows) {
      if (isBlankRow(raw)) continue;
      if (!headerRow) {
        const columns = matchHeader(raw.cells);
        if (!columns) {
          if (++scanned >= HEADER_SEARCH_ROWS) break;
          continue;
        }
        const missing = missingColumns(columns);
        if (missing.length) {
          throw new ImportFailure(
            `缺少必填列：${missing.map((c) => c.zh).join('、')} / missing required columns: ${missing.map((c) => c.en).join(', ')}`,
            missing.map((c) => ({ row: raw.rowNumber, column: c.zh, reason: '缺少必填列 / required column missing' })),
          );
        }
        this.columns = columns;
        headerRow = raw.rowNumber;
        if (source.totalRows !== null) this.counters.total = Math.max(source.totalRows - headerRow, 0);
        continue;
      }
      this.dataRows++;
      // Rows an interrupted run already committed are read again only to rebuild the duplicate checks.
      const isReplay = this.dataRows <= this.resumeAfter;
      const checked = validateRow(raw, this.columns);
      if ('row' in checked) pending.push({ row: checked.row, isReplay });
      else if (!isReplay) pending.push({ invalid: { rowNumber: raw.rowNumber, ...checked } });
      if (!isReplay) processed++;
      if (++batchRows >= this.batchSize) {
        await this.flush(pending, processed, false);
        pending = [];
        batchRows = 0;
        processed = 0;
      }
    }
    if (!headerRow) throw new ImportFailure(REASONS.noHeader, [{ row: 1, column: '', reason: REASONS.noHeader }]);
    await this.flush(pending, processed, true);
  }

  /** Check villages, scope and duplicates for the pending rows (in file order), then hand them to the writer. */
  private async flush(pending: TPendingRow[], processed: number, isLast: boolean): Promise<void> {
    await this.loadRegionLevels(pending.map((p) => ('row' in p ? p.row.villageCode : p.invalid.villageCode)).filter((code): code is string => !!code));
    const ready: TReadyRow[] = [];
    const errors: TImportError[] = [];
    for (const entry of pending) {
      if ('invalid' in entry) {
        const { rowNumber, villageCode } = entry.invalid;
        const village = villageCode ? this.checkVillage({ rowNumber }, villageCode) : null;
        errors.push(...(village ? [village] : []), ...entry.invalid.errors);
        continue;
      }
      const { row, isReplay } = entry;
      const problem = this.checkVillage(row, row.villageCode) ?? this.checkDuplicates(row);
      if (problem) {
        if (!isReplay) errors.push(problem);
        continue;
      }
      if (isReplay) continue;
      ready.push({ ...row, idHash: row.idNumber ? keyedHash(this.services.secrets.secretKey, 'id-number', row.idNumber) : null, idLast4: row.idNumber?.slice(-4) ?? null });
    }
    // One batch is written while the next is read; never more than one, so batches commit in order.
    const previous = this.inFlight;
    if (previous) await previous;
    const writing = this.writeBatch(ready, errors, processed, isLast);
    // Its failure is handled where it is awaited (the next flush, or the catch in execute); until
    // then the rows keep being read, and the rejection must not count as unhandled meanwhile.
    writing.catch(() => {});
    this.inFlight = writing;
    if (isLast) await writing;
  }

  private async loadRegionLevels(codes: string[]): Promise<void> {
    const unknown = [...new Set(codes)].filter((code) => !this.regionLevels.has(code));
    if (unknown.length === 0) return;
    const found = await repo.findRegionLevels(this.services.db, unknown);
    for (const code of unknown) this.regionLevels.set(code, found.get(code) ?? null);
  }

  private error(row: { rowNumber: number }, field: TImportField, reason: string): TImportError {
    return { row: row.rowNumber, column: this.columns[field]?.header ?? field, reason };
  }

  /** The village must exist, be a village, and lie in the job's scope. */
  private checkVillage(row: { rowNumber: number }, villageCode: string): TImportError | null {
    const level = this.regionLevels.get(villageCode);
    if (!level) return this.error(row, 'villageCode', REASONS.notFound);
    if (level !== 'village') return this.error(row, 'villageCode', REASONS.notVillage(level));
    if (!isInScope(this.scope, villageCode)) return this.error(row, 'villageCode', REASONS.outOfScope);
    return null;
  }

  /** Duplicates within the file, in file order (the second sighting is reported). */
  private checkDuplicates(row: TValidRow): TImportError | null {
    const household = this.seenHouseholds.seen(`${row.villageCode}|${row.householdNo}`, row.rowNumber, tagOf(row.headName));
    if (household && household.tag !== tagOf(row.headName)) return this.error(row, 'headName', REASONS.headNameDiffers(household.row));
    const memberKey = row.idNumber ? `id|${row.villageCode}|${row.idNumber}` : `name|${row.villageCode}|${row.householdNo}|${row.name}`;
    const householdTag = tagOf(row.householdNo);
    const member = this.seenMembers.seen(memberKey, row.rowNumber, householdTag);
    if (member) {
      if (row.idNumber && member.tag !== householdTag) return this.error(row, 'idNumber', REASONS.idInOtherHouseholdInFile(member.row));
      return this.error(row, row.idNumber ? 'idNumber' : 'name', REASONS.duplicate(member.row));
    }
    return null;
  }

  /** Write one batch in its own transaction; a phone taken concurrently by another writer retries it. */
  private async writeBatch(rows: TReadyRow[], prepErrors: TImportError[], processed: number, isLast: boolean): Promise<void> {
    let result: TBatchResult | undefined;
    for (let attempt = 1; !result; attempt++) {
      try {
        result = await this.services.db.transaction().execute(async (tx) => {
          await repo.preferKeyedPlans(tx);
          const applied = await this.applyBatch(tx, rows);
          applied.errors = [...prepErrors, ...applied.errors].sort((a, b) => a.row - b.row);
          await this.saveProgress(tx, applied, processed, isLast ? { status: 'done', failure: null } : undefined);
          return applied;
        });
      } catch (error) {
        if (!isUniqueViolation(error) || attempt >= 3) throw error;
      }
    }
    this.commitCounters(result, processed);
    this.written += result.inserted + result.updated;
    if (this.written - this.writtenAtAnalyze >= Math.max(ANALYZE_AFTER_ROWS, this.writtenAtAnalyze)) {
      await repo.analyzeRegistryTables(this.services.db);
      this.writtenAtAnalyze = this.written;
    }
    this.batchNumber++;
    this.options.onProgress?.({ ...this.counters });
    await this.options.afterBatch?.(this.batchNumber);
  }

  private nextCounters(result: TBatchResult, processed: number, isLast: boolean): repo.TImportCounters {
    const c = this.counters;
    const next = {
      total: c.total,
      processed: c.processed + processed,
      inserted: c.inserted + result.inserted,
      updated: c.updated + result.updated,
      unchanged: c.unchanged + result.unchanged,
      errorCount: c.errorCount + result.errors.length,
    };
    // The first estimate (lines, sheet dimension) may count blank rows; the end knows exactly.
    if (isLast || (next.total !== null && next.total < next.processed)) next.total = next.processed;
    return next;
  }

  private commitCounters(result: TBatchResult, processed: number): void {
    Object.assign(this.counters, this.nextCounters(result, processed, false));
    this.storedErrors = Math.min(IMPORT_LIMITS.maxStoredErrors, this.storedErrors + result.errors.length);
    this.groupsCreated += result.groupsCreated;
    for (const [key, id] of result.groupIds) this.groupIds.set(key, id);
  }

  private async saveProgress(tx: TTx, result: TBatchResult, processed: number, finish?: { status: 'done' | 'failed'; failure: string | null }): Promise<void> {
    const counters = this.nextCounters(result, processed, finish?.status === 'done');
    const room = Math.max(0, IMPORT_LIMITS.maxStoredErrors - this.storedErrors);
    await repo.saveImportProgress(tx, this.job.id, counters, result.errors.slice(0, room), finish);
    if (finish) {
      await recordAudit(tx, this.auditContext(), {
        action: 'imports.households',
        entityType: 'import_job',
        entityId: this.job.id,
        regionCode: this.job.scopePrefixes.length === 1 && this.job.scopePrefixes[0] ? this.job.scopePrefixes[0].padEnd(12, '0') : null,
        details: {
          status: finish.status,
          ...(finish.failure ? { failure: finish.failure } : {}),
          fileSha256: this.job.fileSha256,
          total: counters.total,
          processed: counters.processed,
          inserted: counters.inserted,
          updated: counters.updated,
          unchanged: counters.unchanged,
          errorCount: counters.errorCount,
          groupsCreated: this.groupsCreated + result.groupsCreated,
        },
      });
    }
  }

  private auditContext(): TAuditContext {
    return { actorId: this.job.requestedBy, requestId: this.options.audit?.requestId ?? `import:${this.job.id}`, ip: this.options.audit?.ip ?? null };
  }

  /**
   * The writes of one batch: look up members by ID and phone, refuse rows that would break the
   * registry (an ID in another household, a phone of someone else), upsert households, match the
   * rest by (household, name), then insert, update and add to groups, each as one statement.
   */
  private async applyBatch(tx: TTx, rows: TReadyRow[]): Promise<TBatchResult> {
    const result: TBatchResult = { inserted: 0, updated: 0, unchanged: 0, errors: [], groupsCreated: 0, groupIds: new Map() };
    if (rows.length === 0) return result;
    const rejected = new Set<TReadyRow>();
    const reject = (row: TReadyRow, field: TImportField, reason: string) => {
      result.errors.push(this.error(row, field, reason));
      rejected.add(row);
    };

    // 1. Members known by ID number: the ID must stay in its household.
    const byIdKey = new Map<string, repo.TMemberCandidate>();
    for (const c of await repo.findMembersByIdHash(tx, rows.filter((r) => r.idHash).map((r) => ({ regionCode: r.villageCode, idHash: r.idHash! })))) {
      byIdKey.set(`${c.regionCode}|${c.idHash!.toString('hex')}`, c);
    }
    const byId = new Map<TReadyRow, repo.TMemberCandidate>();
    for (const row of rows) {
      const found = row.idHash ? byIdKey.get(`${row.villageCode}|${row.idHash.toString('hex')}`) : undefined;
      if (!found) continue;
      if (found.householdNo !== row.householdNo) reject(row, 'idNumber', REASONS.idInOtherHousehold(found.householdNo));
      else byId.set(row, found);
    }

    // 2. Phones: one active member per phone (the unique index would abort the whole batch).
    const withPhone = rows.filter((r) => r.phone && !rejected.has(r) && (byId.get(r)?.isActive ?? true));
    const owners = new Map((await repo.findActivePhoneOwners(tx, [...new Set(withPhone.map((r) => r.phone!))])).map((o) => [o.phone!, o]));
    const firstWithPhone = new Map<string, TReadyRow>();
    for (const row of withPhone) {
      const first = firstWithPhone.get(row.phone!);
      if (first) {
        reject(row, 'phone', REASONS.phoneTwiceInBatch(first.rowNumber));
        continue;
      }
      firstWithPhone.set(row.phone!, row);
      const owner = owners.get(row.phone!);
      const known = byId.get(row);
      const isSame = owner && (known
        ? owner.id === known.id
        : owner.regionCode === row.villageCode && owner.householdNo === row.householdNo && owner.name === row.name && (!row.idHash || owner.idHash === null));
      if (owner && !isSame) reject(row, 'phone', REASONS.phoneTaken);
    }

    // 3. Households of the rows still standing.
    const live = rows.filter((r) => !rejected.has(r));
    const householdKey = (r: { villageCode?: string; regionCode?: string; householdNo: string }) => `${r.villageCode ?? r.regionCode}|${r.householdNo}`;
    const firstOfHousehold = new Map<string, TReadyRow>();
    for (const row of live) if (!firstOfHousehold.has(householdKey(row))) firstOfHousehold.set(householdKey(row), row);
    const households = new Map(
      (await repo.upsertHouseholds(tx, [...firstOfHousehold.values()].map((r) => ({ id: timeOrderedId(), regionCode: r.villageCode, householdNo: r.householdNo, headName: r.headName })))).map((h) => [householdKey(h), h]),
    );

    // 4. Members of households that existed before, for rows not matched by ID.
    const toSearch = new Map<string, { regionCode: string; householdId: string }>();
    for (const row of live) {
      const household = households.get(householdKey(row))!;
      if (!byId.has(row) && household.outcome !== 'inserted') toSearch.set(household.id, { regionCode: row.villageCode, householdId: household.id });
    }
    const membersOf = new Map<string, repo.TMemberCandidate[]>();
    for (const m of await repo.findMembersOfHouseholds(tx, [...toSearch.values()])) {
      const list = membersOf.get(m.householdId) ?? [];
      list.push(m);
      membersOf.set(m.householdId, list);
    }

    // 5. Match, then insert or update.
    const inserts: repo.TMemberWrite[] = [];
    const updates: Omit<repo.TMemberWrite, 'regionCode' | 'householdId'>[] = [];
    const outcome = new Map<TReadyRow, { memberId: string; kind: 'inserted' | 'updated' | 'unchanged' }>();
    const claimedBy = new Map<string, TReadyRow>();
    for (const row of live) {
      const household = households.get(householdKey(row))!;
      const match = byId.get(row) ?? membersOf.get(household.id)?.find((m) => m.name === row.name && (!row.idHash || m.idHash === null) && !claimedBy.has(m.id));
      if (match && claimedBy.has(match.id)) {
        reject(row, 'name', REASONS.sameMemberTwice(claimedBy.get(match.id)!.rowNumber));
        continue;
      }
      if (!match) {
        const id = timeOrderedId();
        inserts.push({ id, regionCode: row.villageCode, householdId: household.id, name: row.name, relation: row.relation, phone: row.phone, idHash: row.idHash, idLast4: row.idLast4 });
        outcome.set(row, { memberId: id, kind: 'inserted' });
        claimedBy.set(id, row);
        continue;
      }
      claimedBy.set(match.id, row);
      // Empty cells never erase what is registered (a phone a villager logs in with, an ID).
      const next = {
        id: match.id,
        name: row.name,
        relation: row.relation ?? match.relation,
        phone: row.phone ?? match.phone,
        idHash: row.idHash ?? match.idHash,
        idLast4: row.idHash ? row.idLast4 : match.idLast4,
      };
      const isChanged = next.name !== match.name || next.relation !== match.relation || next.phone !== match.phone || !sameBytes(next.idHash, match.idHash);
      if (isChanged) updates.push(next);
      outcome.set(row, { memberId: match.id, kind: isChanged ? 'updated' : 'unchanged' });
    }
    await repo.insertMembers(tx, inserts);
    await repo.updateMembers(tx, updates);

    // 6. Supervision groups named in the file (created in the village when missing).
    const grouped = live.filter((r) => r.groupName && outcome.has(r));
    const missingGroups = new Map<string, { regionCode: string; name: string }>();
    for (const row of grouped) {
      const key = `${row.villageCode}|${row.groupName}`;
      if (!this.groupIds.has(key)) missingGroups.set(key, { regionCode: row.villageCode, name: row.groupName! });
    }
    if (missingGroups.size) {
      const made = await repo.ensureGroups(tx, [...missingGroups.values()]);
      result.groupsCreated = made.created;
      result.groupIds = made.ids;
    }
    const groupIdOf = (row: TReadyRow) => {
      const key = `${row.villageCode}|${row.groupName}`;
      return this.groupIds.get(key) ?? result.groupIds.get(key);
    };
    const added = await repo.insertGroupMembers(tx, grouped.map((r) => ({ groupId: groupIdOf(r)!, memberId: outcome.get(r)!.memberId, regionCode: r.villageCode })));

    // 7. Count: a new group membership or a renamed head of household is an update of that row.
    for (const o of outcome.values()) if (o.kind === 'unchanged' && added.has(o.memberId)) o.kind = 'updated';
    for (const household of households.values()) {
      if (household.outcome !== 'updated') continue;
      const first = live.find((r) => householdKey(r) === householdKey(household) && outcome.get(r)?.kind === 'unchanged');
      if (first) outcome.get(first)!.kind = 'updated';
    }
    for (const o of outcome.values()) result[o.kind]++;
    return result;
  }

  private async fail(error: unknown): Promise<void> {
    const isExpected = error instanceof ImportFailure;
    if (!isExpected) this.services.log.error({ err: error, importJobId: this.job.id }, 'household import failed');
    const failure = isExpected ? error.message : REASONS.internal;
    const result: TBatchResult = { inserted: 0, updated: 0, unchanged: 0, errors: isExpected ? error.errors : [], groupsCreated: 0, groupIds: new Map() };
    await this.services.db.transaction().execute((tx) => this.saveProgress(tx, result, 0, { status: 'failed', failure }));
  }
}

/**
 * A UUIDv7 (RFC 9562: 48-bit milliseconds, then random): rows written in one import get ids that
 * sort by time, so the primary-key and member indexes grow at their right edge instead of touching
 * random pages of a 1.8-million-row index for every row.
 */
export function timeOrderedId(now = Date.now()): string {
  const random = randomUUID();
  const time = now.toString(16).padStart(12, '0');
  return `${time.slice(0, 8)}-${time.slice(8, 12)}-7${random.slice(15)}`;
}

function sameBytes(a: Buffer | null, b: Buffer | null): boolean {
  return a === b || (!!a && !!b && a.equals(b));
}

/**
 * Run a household import job to the end (queued → running → done | failed) and return the job row.
 * A finished job is left alone, and so is one another process is running; a job found `running`
 * without that lock was interrupted and resumes after the rows its committed batches counted.
 */
export async function runHouseholdImport(services: TServices, jobId: string, options: TRunOptions = {}): Promise<repo.TImportJobRow | undefined> {
  await repo.withImportJobLock(services.db, jobId, async () => {
    const job = await repo.claimImportJob(services.db, jobId);
    if (job) await new HouseholdImportRun(services, job, options).execute();
  });
  return repo.findImportJob(services.db, jobId);
}
