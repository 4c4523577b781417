// Instants for tests of "this month" / "today" figures. Such tests pass their `now` to the
// functions under test and place records relative to it, so they hold in the first minutes of a
// UTC month or day too; CLOCKS runs them both at the real time and at 00:02 UTC on the 1st.

/** 00:02 UTC on the 1st of the month before `real`: in the past (ingestion refuses the future), two minutes into a month and a day. */
export function firstMinutesOfMonth(real: Date = new Date()): Date {
  return new Date(Date.UTC(real.getUTCFullYear(), real.getUTCMonth() - 1, 1, 0, 2));
}

/** The clocks a month-to-date or today test runs under: [label, now]. */
export const CLOCKS: readonly (readonly [string, Date])[] = [
  ["at 00:02 UTC on the 1st of a month", firstMinutesOfMonth()],
  ["at the real time", new Date()],
];

/** `minutes` before `now`, but never before the start of now's UTC day (so also inside its month). */
export function shortlyBefore(now: Date, minutes: number): string {
  const dayStart = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate());
  return new Date(Math.max(dayStart, now.getTime() - minutes * 60_000)).toISOString();
}
