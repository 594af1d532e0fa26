import { readFileSync } from 'node:fs';
import path from 'node:path';
import { createWorkCalendar, type TCalendarYear, type TWorkCalendar } from '@cunwu/contract';
import type { TTx } from '../../kernel/db';
import type { TServices } from '../../kernel/services';
import * as repo from './appeals.repo';

/** The published calendar shipped with the server. */
export const CALENDAR_SEED = path.resolve(import.meta.dirname, '../../../seed/cn-workday-calendar.json');

/** Load (or refresh) the years of a published calendar file into the work_calendar table. */
export async function syncWorkCalendar(tx: TTx, file = CALENDAR_SEED): Promise<number> {
  const data = JSON.parse(readFileSync(file, 'utf8')) as { years: Record<string, TCalendarYear> };
  const days: { day: string; isWorking: boolean; name: string | null }[] = [];
  for (const year of Object.values(data.years)) {
    for (const h of year.holidays) days.push({ day: h.date, isWorking: false, name: h.name });
    for (const m of year.makeupWorkdays) days.push({ day: typeof m === 'string' ? m : m.date, isWorking: true, name: '调休上班' });
  }
  await repo.upsertCalendarDays(tx, days);
  return days.length;
}

const cache = new WeakMap<TServices, { at: number; calendar: TWorkCalendar }>();

/** The working-day calendar from the database (refreshed every ten minutes). */
export async function workCalendar(services: TServices): Promise<TWorkCalendar> {
  const hit = cache.get(services);
  if (hit && Date.now() - hit.at < 600_000) return hit.calendar;
  const rows = await repo.findCalendarDays(services.db);
  const year: TCalendarYear = {
    holidays: rows.filter((r) => !r.isWorking).map((r) => ({ date: r.day, name: r.name ?? '' })),
    makeupWorkdays: rows.filter((r) => r.isWorking).map((r) => r.day),
  };
  const calendar = createWorkCalendar({ all: year });
  cache.set(services, { at: Date.now(), calendar });
  return calendar;
}
