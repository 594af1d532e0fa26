import { createHash } from 'node:crypto';
import {
  DISCLOSURE_LABELS, addCalendarDays, chinaDate, frequencyOfPeriod, isEventFrequency, parseDisclosurePeriod, regionLevelOf, regionPrefix,
  type TComplianceCounts, type TComplianceQuery, type TComplianceReport, type TDisclosureFrequency,
} from '@cunwu/contract';
import { AppError, invalid } from '../../kernel/errors';
import { authorize, isInScope, type TActor } from '../../kernel/policy';
import type { TServices } from '../../kernel/services';
import { postPlatformNotice } from '../feed';
import { enqueueOutbound } from '../outbox';
import { periodLabel } from './disclosures.present';
import * as repo from './disclosures.repo';

// Compliance (全覆盖), the rules:
// - Periodic items (monthly, quarterly, semiannual, annual) are owed by every village once per calendar
//   period; the obligation is due on period end + the item's dueDays (China calendar days). A window
//   (`period=2025-04`, `2025-Q2`, `2025-H1`, `2025`) holds the obligations whose period ENDS in it: April
//   holds April's monthly items only; June also Q2 and H1; December also the year.
// - Event items (immediate, on_change, per_stage) are owed only when an event exists: each disclosure
//   registered for one (a draft is enough) whose event date lies in the window is an obligation due on
//   event date + dueDays. Without one they are not applicable, and not counted.
// - Status as of today: on_time (first published on or before the due day; corrections do not move it),
//   late (published after it), missing (due day passed, not published), pending (not yet due, not yet
//   published). `due` = on_time + late + missing; rate = (on_time + late) / due.
// - A village owes nothing for periods that ended before it existed (regions.created_at, China day).
// - Inactive items are owed by nobody; the catalogue in force today applies to past windows too.

/** How many villages the report lists to chase (most missing first). */
const CHASE_LIMIT = 50;
/** The daily job announces obligations that fell due within this many days (older ones were announced then). */
const ANNOUNCE_LOOKBACK_DAYS = 45;
/** Length of a child region's code prefix under each level. */
const CHILD_PREFIX: Record<string, number> = { province: 4, city: 6, county: 9, town: 12, village: 12 };

/** The month before `today`'s month: the default window (its obligations are falling due now). */
function previousMonth(today: string): string {
  const [y, m] = today.split('-').map(Number) as [number, number];
  return m === 1 ? `${y - 1}-12` : `${y}-${String(m - 1).padStart(2, '0')}`;
}

/** The days of a window written as a period: 2025-04, 2025-Q2, 2025-H1 or 2025. */
export function complianceWindow(period: string): { from: string; to: string } {
  const frequency = frequencyOfPeriod(period);
  const parsed = frequency ? parseDisclosurePeriod(frequency, period) : null;
  if (!parsed?.ok) throw invalid('period', parsed && !parsed.ok ? parsed.reason : 'a month YYYY-MM, a quarter YYYY-Qn, a half YYYY-Hn or a year YYYY / 期间格式如 2025-04、2025-Q2、2025');
  return { from: parsed.value.start, to: parsed.value.end };
}

function counts(row: { onTime: number; late: number; missing: number; pending: number } | undefined): TComplianceCounts {
  const onTime = row?.onTime ?? 0;
  const late = row?.late ?? 0;
  const missing = row?.missing ?? 0;
  const due = onTime + late + missing;
  const ratio = (n: number) => (due === 0 ? null : Math.round((n / due) * 10_000) / 10_000);
  return { due, onTime, late, missing, pending: row?.pending ?? 0, rate: ratio(onTime + late), onTimeRate: ratio(onTime) };
}

/**
 * Compliance of a region for a window, in the actor's scope: totals, per item, per child region and
 * the villages to chase. One set-based statement however many villages (see the rules above).
 */
export async function complianceReport(services: TServices, actor: TActor, query: TComplianceQuery): Promise<TComplianceReport> {
  const scope = authorize(actor, 'disclosures.compliance');
  const prefix = regionPrefix(query.region);
  // A town officer asking about his county sees his own town's part of it.
  if (!isInScope(scope, query.region) && !scope.prefixes.some((p) => p.startsWith(prefix))) throw new AppError('NOT_FOUND', `region ${query.region}`);
  const region = await repo.findRegion(services.db, query.region);
  if (!region) throw new AppError('NOT_FOUND', `region ${query.region}`);
  const today = chinaDate(services.clock.now());
  const period = query.period ?? previousMonth(today);
  const { from, to } = complianceWindow(period);
  const level = regionLevelOf(region.code);
  const [rows, catalog] = await Promise.all([
    repo.findCompliance(services.db, { prefix, scope, from, to, today, childLength: CHILD_PREFIX[level] ?? 12 }),
    repo.findCatalog(services.db),
  ]);
  const of = (kind: repo.TComplianceRow['kind']) => rows.filter((r) => r.kind === kind);
  const villageCounts = new Map(of('villages').map((r) => [r.key, r.villages ?? 0]));
  const byItemRows = new Map(of('item').map((r) => [r.key!, r]));
  const childCodes = level === 'village' ? [] : of('villages').filter((r) => r.key !== null).map((r) => r.key!);
  const childRows = new Map(of('child').map((r) => [r.key!, r]));
  const chase = of('village')
    .filter((r) => r.missing > 0)
    .sort((a, b) => b.missing - a.missing || b.late - a.late || a.key!.localeCompare(b.key!))
    .slice(0, CHASE_LIMIT);
  const [names, missing] = await Promise.all([
    repo.findRegionNames(services.db, [...childCodes.map((c) => c.padEnd(12, '0')), ...chase.map((r) => r.key!)]),
    repo.findMissingOf(services.db, chase.map((r) => r.key!), { from, to, today }),
  ]);
  return {
    region: { code: region.code, name: region.name, level: region.level },
    period,
    from,
    to,
    asOf: today,
    villages: villageCounts.get(null) ?? 0,
    totals: counts(of('total')[0]),
    byItem: catalog.items.filter((i) => i.isActive).map((i) => {
      const row = byItemRows.get(i.code);
      return { ...counts(row), itemCode: i.code, itemName: i.nameZh, category: i.category, frequency: i.frequency as TDisclosureFrequency, isApplicable: !isEventFrequency(i.frequency) || row !== undefined };
    }),
    byChild: childCodes
      .map((key) => {
        const code = key.padEnd(12, '0');
        return { ...counts(childRows.get(key)), code, name: names.get(code)?.name ?? code, villages: villageCounts.get(key) ?? 0 };
      })
      .sort((a, b) => a.code.localeCompare(b.code)),
    villagesToChase: chase.map((r) => ({
      code: r.key!,
      name: names.get(r.key!)?.name ?? r.key!,
      townName: names.get(r.key!)?.parentName ?? null,
      missing: r.missing,
      late: r.late,
      items: missing.filter((m) => m.village === r.key).map((m) => ({ itemCode: m.item, period: m.period, dueOn: m.dueOn })),
    })),
  };
}

/** A dedupe-key part for a phone: stable, but the number itself stays out of the key. */
function phoneKey(phone: string): string {
  return createHash('sha256').update(`phone:${phone}`).digest('hex').slice(0, 20);
}

/**
 * The daily compliance run (`disclosures.compliance`): every obligation that became missing, or was
 * published late, within the look-back is announced once — a notice to the village's groups and an SMS
 * to its resident cadre(s), through the feed and the outbox. One transaction per village; each
 * (village, item, period, status) is recorded so a re-run announces nothing twice.
 */
export async function announceOverdueDisclosures(services: TServices, options: { lookbackDays?: number } = {}): Promise<{ villages: number; obligations: number }> {
  const now = services.clock.now();
  const today = chinaDate(now);
  const dueSince = addCalendarDays(today, -(options.lookbackDays ?? ANNOUNCE_LOOKBACK_DAYS));
  const catalog = await repo.findCatalog(services.db);
  const items = new Map(catalog.items.map((i) => [i.code, i]));
  const maxDueDays = Math.max(0, ...catalog.items.filter((i) => i.isActive).map((i) => i.dueDays));
  // Obligations due since `dueSince` belong to periods (or events) ending at most maxDueDays before it.
  const overdue = await repo.findUnannouncedOverdue(services.db, { from: addCalendarDays(dueSince, -maxDueDays), to: today, today, dueSince });
  const byVillage = new Map<string, repo.TOverdueRow[]>();
  for (const row of overdue) byVillage.set(row.village, [...(byVillage.get(row.village) ?? []), row]);
  const names = await repo.findRegionNames(services.db, [...byVillage.keys()]);
  let villages = 0;
  let obligations = 0;
  for (const [village, rows] of byVillage) {
    const announced = await services.db.transaction().execute(async (tx) => {
      const fresh = await repo.insertComplianceNotices(tx, rows, now);
      if (fresh.length === 0) return 0;
      const villageName = names.get(village)?.name ?? village;
      const describe = (r: repo.TOverdueRow) => `${items.get(r.item)?.nameZh ?? r.item}（${periodLabel(r.period)}${r.eventRef ? ` ${r.eventRef}` : ''}）`;
      const missing = fresh.filter((r) => r.status === 'missing');
      const late = fresh.filter((r) => r.status === 'late');
      const lines = [
        ...missing.map((r) => `· ${describe(r)}：应于 ${r.dueOn} 前公开，至今未公开`),
        ...late.map((r) => `· ${describe(r)}：已公开，但晚于 ${r.dueOn}`),
      ];
      const key = `disclosure.compliance:${village}:${createHash('sha256').update(fresh.map((r) => `${r.item}|${r.period}|${r.eventRef}|${r.status}`).join('\n')).digest('hex').slice(0, 16)}`;
      await postPlatformNotice(tx, services, {
        regionCode: village,
        topic: 'disclosure.overdue',
        title: `【公开提醒】${villageName}${missing.length ? `有 ${missing.length} 项公开逾期未公开` : `有 ${late.length} 项公开逾期`}`,
        body: `${lines.join('\n')}\n\n按照村务公开目录，以上事项须按期公开。${DISCLOSURE_LABELS.compliance.missing}的事项请村两委尽快公开。`.slice(0, 3900),
        link: '/disclosures',
        dedupeKey: key,
      });
      const sms = `【村务监督】${villageName}：${missing.length} 项公开逾期未公开${late.length ? `，${late.length} 项逾期公开` : ''}（${fresh.slice(0, 3).map((r) => `${r.item} ${r.period}`).join('、')}${fresh.length > 3 ? '等' : ''}），请督促。`;
      for (const phone of await repo.findResidentCadrePhones(tx, village)) {
        await enqueueOutbound(tx, { regionCode: village, channel: 'sms', dedupeKey: `${key}:${phoneKey(phone)}`, payload: { topic: 'disclosure.overdue', body: sms, phone } });
      }
      return fresh.length;
    });
    if (announced > 0) {
      villages += 1;
      obligations += announced;
    }
  }
  return { villages, obligations };
}
