// Bounded concurrency for test runs: at most `limit` calls in flight, so "Test all" across many
// providers neither floods the machine nor trips every provider's rate limit at once.

/** Runs `worker` over `items` with at most `limit` running at a time; resolves when all settle. */
export async function forEachWithConcurrency<T>(
  items: readonly T[],
  limit: number,
  worker: (item: T, index: number) => Promise<void>,
): Promise<void> {
  if (!Number.isInteger(limit) || limit < 1) throw new RangeError("limit must be a positive integer");
  let next = 0;
  const errors: unknown[] = [];
  async function lane(): Promise<void> {
    while (next < items.length) {
      const index = next;
      next += 1;
      try {
        await worker(items[index]!, index);
      } catch (error) {
        // One failing item must not stop the others; the caller sees the first error at the end.
        errors.push(error);
      }
    }
  }
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, lane));
  if (errors.length > 0) throw errors[0];
}

/** The largest number of [start, end) intervals overlapping at any instant (for tests and logs). */
export function maxOverlap(intervals: readonly { start: number; end: number }[]): number {
  const events = intervals.flatMap(({ start, end }) => [
    { at: start, delta: 1 },
    { at: end, delta: -1 },
  ]);
  // Ends sort before starts at the same instant: touching intervals do not overlap.
  events.sort((a, b) => a.at - b.at || a.delta - b.delta);
  let current = 0;
  let max = 0;
  for (const event of events) {
    current += event.delta;
    max = Math.max(max, current);
  }
  return max;
}
