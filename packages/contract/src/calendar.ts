/**
 * Chinese working-day calendar (工作日): weekends are off except make-up workdays (调休), public
 * holidays are off even on weekdays. Deadlines count whole working days in China time (UTC+8, no DST).
 * Pure, so the server's deadlines and the apps' "due in …" agree.
 */

/** One year of the calendar as published (the shape of cn-workday-calendar.json's years). */
export interface TCalendarYear {
  holidays: { date: string; name: string }[];
  /** Dates (or `{ date }` objects) that are working days although they fall on a weekend. */
  makeupWorkdays: (string | { date: string })[];
}

/** A calendar built from published years. */
export interface TWorkCalendar {
  /** Whether a China-time date (YYYY-MM-DD) is a working day. */
  isWorkingDay(date: string): boolean;
  /** The holiday name of a date, if any (春节, 国庆节 …). */
  holidayName(date: string): string | null;
  /** Years covered; dates outside fall back to Monday–Friday. */
  years: number[];
  /** `start` plus `days` working days: the same China-time clock time on the n-th working day after. */
  addWorkingDays(start: Date, days: number): Date;
  /** Working milliseconds between two instants (time on non-working days does not count). */
  workingMsBetween(from: Date, to: Date): number;
  /** `start` plus `ms` of working time. */
  addWorkingMs(start: Date, ms: number): Date;
}

const DAY_MS = 86_400_000;
const CHINA_OFFSET_MS = 8 * 3_600_000;

/** China-time calendar date of an instant. */
export function chinaDate(instant: Date): string {
  return new Date(instant.getTime() + CHINA_OFFSET_MS).toISOString().slice(0, 10);
}

function dayNumber(instant: Date): number {
  return Math.floor((instant.getTime() + CHINA_OFFSET_MS) / DAY_MS);
}

function dateOfDay(day: number): string {
  return new Date(day * DAY_MS).toISOString().slice(0, 10);
}

/** Build the calendar from published years (e.g. `{ "2023": {...}, "2024": {...} }`). */
export function createWorkCalendar(years: Record<string, TCalendarYear>): TWorkCalendar {
  const holidays = new Map<string, string>();
  const makeup = new Set<string>();
  for (const year of Object.values(years)) {
    for (const h of year.holidays) holidays.set(h.date, h.name);
    for (const m of year.makeupWorkdays) makeup.add(typeof m === 'string' ? m : m.date);
  }
  const isWorkingDay = (date: string): boolean => {
    if (makeup.has(date)) return true;
    if (holidays.has(date)) return false;
    const weekday = new Date(`${date}T00:00:00Z`).getUTCDay();
    return weekday !== 0 && weekday !== 6;
  };
  const isWorkingDayNumber = (day: number) => isWorkingDay(dateOfDay(day));

  const workingMsBetween = (from: Date, to: Date): number => {
    if (to <= from) return 0;
    let total = 0;
    let cursor = from.getTime();
    const end = to.getTime();
    while (cursor < end) {
      const day = Math.floor((cursor + CHINA_OFFSET_MS) / DAY_MS);
      const dayEnd = (day + 1) * DAY_MS - CHINA_OFFSET_MS;
      const sliceEnd = Math.min(dayEnd, end);
      if (isWorkingDayNumber(day)) total += sliceEnd - cursor;
      cursor = sliceEnd;
    }
    return total;
  };

  const addWorkingMs = (start: Date, ms: number): Date => {
    let remaining = ms;
    let cursor = start.getTime();
    for (let guard = 0; guard < 4000; guard++) {
      const day = Math.floor((cursor + CHINA_OFFSET_MS) / DAY_MS);
      const dayEnd = (day + 1) * DAY_MS - CHINA_OFFSET_MS;
      if (isWorkingDayNumber(day)) {
        const available = dayEnd - cursor;
        if (remaining <= available) return new Date(cursor + remaining);
        remaining -= available;
      }
      cursor = dayEnd;
    }
    throw new Error('working-day arithmetic ran past 10 years');
  };

  return {
    isWorkingDay,
    holidayName: (date) => holidays.get(date) ?? null,
    years: Object.keys(years).map(Number).sort(),
    workingMsBetween,
    addWorkingMs,
    addWorkingDays(start, days) {
      // Something submitted on a day off starts its clock at the beginning of the next working day, and
      // is due by the end (23:59) of the n-th working day — not at a puzzling 00:00 of the day after.
      let day = dayNumber(start);
      let timeOfDay = start.getTime() + CHINA_OFFSET_MS - day * DAY_MS;
      if (!isWorkingDayNumber(day)) {
        timeOfDay = DAY_MS - 60_000;
        while (!isWorkingDayNumber(day)) day++;
        day--;
      }
      let counted = 0;
      while (counted < days) {
        day++;
        if (isWorkingDayNumber(day)) counted++;
      }
      return new Date(day * DAY_MS + timeOfDay - CHINA_OFFSET_MS);
    },
  };
}
