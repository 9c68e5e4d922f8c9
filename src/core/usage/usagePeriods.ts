/**
 * Calendar periods in the user's own timezone: "today" starts at local midnight and a month is a
 * calendar month, because that is what a user means by a daily or monthly budget.
 */

/** `2026-11-27`: the local day `at` falls on. */
export function dayKey(at: number): string {
  const d = new Date(at);
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
}

/** `2026-11`: the local calendar month `at` falls in. */
export function monthKey(at: number): string {
  const d = new Date(at);
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}`;
}

/** Local midnight at the start of the day of `at`. */
export function startOfDay(at: number): number {
  const d = new Date(at);
  return new Date(d.getFullYear(), d.getMonth(), d.getDate()).getTime();
}

/** Local midnight at the start of the next day (23 or 25 hours away across a DST change). */
export function startOfNextDay(at: number): number {
  const d = new Date(at);
  return new Date(d.getFullYear(), d.getMonth(), d.getDate() + 1).getTime();
}

export function startOfMonth(at: number): number {
  const d = new Date(at);
  return new Date(d.getFullYear(), d.getMonth(), 1).getTime();
}

export function startOfNextMonth(at: number): number {
  const d = new Date(at);
  return new Date(d.getFullYear(), d.getMonth() + 1, 1).getTime();
}

/** The keys of the `count` local days ending with the day of `now`, oldest first. */
export function lastDays(now: number, count: number): string[] {
  const d = new Date(now);
  const days: string[] = [];
  for (let i = count - 1; i >= 0; i--) days.push(dayKey(new Date(d.getFullYear(), d.getMonth(), d.getDate() - i, 12).getTime()));
  return days;
}

function pad(n: number): string {
  return String(n).padStart(2, '0');
}
