import { describe, expect, it } from 'vitest';
import published from '../../../apps/server/seed/cn-workday-calendar.json';
import { chinaDate, createWorkCalendar, type TCalendarYear } from './calendar';

const calendar = createWorkCalendar((published as { years: Record<string, TCalendarYear> }).years);
const at = (local: string) => new Date(`${local}+08:00`);
const local = (d: Date) => new Date(d.getTime() + 8 * 3_600_000).toISOString().slice(0, 16).replace('T', ' ');

describe('working days', () => {
  it('knows weekends, holidays and make-up workdays', () => {
    expect(calendar.isWorkingDay('2023-05-16')).toBe(true); // a Tuesday
    expect(calendar.isWorkingDay('2023-05-20')).toBe(false); // a Saturday
    expect(calendar.isWorkingDay('2023-05-01')).toBe(false); // 劳动节 on a Monday
    expect(calendar.isWorkingDay('2023-05-06')).toBe(true); // make-up Saturday
    expect(calendar.holidayName('2023-10-02')).toContain('国庆');
    expect(chinaDate(new Date('2023-05-15T17:00:00Z'))).toBe('2023-05-16');
  });

  it('adds working days across 春节 2024 and 国庆 2023', () => {
    // 2024: Friday 02-09 (除夕) is a working day; 02-10 … 02-17 are off; Sunday 02-18 is a make-up workday.
    expect(local(calendar.addWorkingDays(at('2024-02-08T10:00'), 1))).toBe('2024-02-09 10:00');
    expect(local(calendar.addWorkingDays(at('2024-02-09T10:00'), 1))).toBe('2024-02-18 10:00');
    expect(local(calendar.addWorkingDays(at('2024-02-09T10:00'), 5))).toBe('2024-02-22 10:00');
    // 国庆 2023: 09-29 … 10-06 off, Saturday 10-07 and Sunday 10-08 are make-up workdays.
    expect(local(calendar.addWorkingDays(at('2023-09-28T16:30'), 1))).toBe('2023-10-07 16:30');
    expect(local(calendar.addWorkingDays(at('2023-09-28T16:30'), 5))).toBe('2023-10-11 16:30');
  });

  it('starts the clock on the next working morning when submitted on a day off', () => {
    expect(local(calendar.addWorkingDays(at('2023-05-20T21:00'), 1))).toBe('2023-05-22 23:59');
    expect(local(calendar.addWorkingDays(at('2023-05-20T21:00'), 5))).toBe('2023-05-26 23:59');
    expect(local(calendar.addWorkingDays(at('2023-05-05T23:00'), 1))).toBe('2023-05-06 23:00'); // Friday → make-up Saturday counts
  });

  it('measures working time and adds it back (paused clocks)', () => {
    expect(calendar.workingMsBetween(at('2023-05-19T12:00'), at('2023-05-22T12:00'))).toBe(24 * 3_600_000);
    expect(calendar.workingMsBetween(at('2023-05-22T12:00'), at('2023-05-19T12:00'))).toBe(0);
    expect(local(calendar.addWorkingMs(at('2023-05-19T12:00'), 24 * 3_600_000))).toBe('2023-05-22 12:00');
    const start = at('2023-09-27T09:00');
    const due = calendar.addWorkingDays(start, 5);
    expect(calendar.workingMsBetween(start, due)).toBe(5 * 86_400_000);
  });
});
