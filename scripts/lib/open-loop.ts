import { performance } from "node:perf_hooks";
import type { Pool } from "undici";

// An open-loop load generator: requests leave at a fixed offered rate whether or not earlier ones
// have answered (a closed loop slows down with the server and hides its queueing), and each
// latency is measured from the moment the request was due, not when it actually left, so a
// stalled sender cannot flatter the result (wrk2's "coordinated omission" correction).

export type Target = {
  name: string;
  pool: Pool;
  path: string;
  headers: Record<string, string>;
  body: (stream: boolean) => string;
  /** Sees each answer's status and headers (e.g. to tally x-cache), before its body is read. */
  onResponse?: (statusCode: number, headers: Record<string, string | string[] | undefined>) => void;
};

/** Milliseconds from the due time to the first body byte and to the end of the body. */
export type Timing = { firstByteMs: number; totalMs: number };

export type LoopResult = {
  sent: number;
  ok: number;
  errors: number;
  /** Requests per second actually sent (below the offered rate when the sender falls behind). */
  sentPerSecond: number;
  firstByteMs: number[];
  totalMs: number[];
  /** Why requests failed ("HTTP 503", an error code), counted. */
  errorReasons: Record<string, number>;
};

export async function timedRequest(target: Target, stream: boolean, due: number): Promise<Timing> {
  const response = await target.pool.request({
    path: target.path,
    method: "POST",
    headers: target.headers,
    body: target.body(stream),
  });
  target.onResponse?.(response.statusCode, response.headers);
  let firstByte = 0;
  for await (const part of response.body) if (!firstByte && (part as Buffer).length > 0) firstByte = performance.now();
  const end = performance.now();
  if (response.statusCode !== 200)
    throw Object.assign(new Error(`HTTP ${response.statusCode}`), { code: `HTTP ${response.statusCode}` });
  return { firstByteMs: (firstByte || end) - due, totalMs: end - due };
}

export type LoopOptions = { stream: boolean; rate: number; durationMs: number; drainMs?: number };

export async function openLoop(target: Target, options: LoopOptions): Promise<LoopResult> {
  return (await openLoopAlternating([target], options)).results[0]!;
}

/**
 * One open loop at the offered rate whose requests take turns among the targets, each turn (one
 * request per target) in a fresh random order so no target always follows the same neighbour:
 * each sees the same moments of the machine, a paired comparison finer than slices. One result
 * per target, in the targets' order, and each turn's total times by target (NaN: failed).
 */
export async function openLoopAlternating(
  targets: readonly Target[],
  options: LoopOptions,
): Promise<{ results: LoopResult[]; turns: number[][] }> {
  const results: LoopResult[] = targets.map(() => ({
    sent: 0,
    ok: 0,
    errors: 0,
    sentPerSecond: 0,
    firstByteMs: [],
    totalMs: [],
    errorReasons: {},
  }));
  const turn = targets.map((_, index) => index);
  const turns: number[][] = [];
  let sent = 0;
  let outstanding = 0;
  let drained: (() => void) | null = null;
  const start = performance.now();
  for (;;) {
    const elapsed = performance.now() - start;
    if (elapsed >= options.durationMs) break;
    const due = Math.min(Math.floor((elapsed * options.rate) / 1000) + 1, (options.durationMs * options.rate) / 1000);
    while (sent < due) {
      const dueAt = start + (sent * 1000) / options.rate;
      if (sent % turn.length === 0) {
        for (let i = turn.length - 1; i > 0; i -= 1) {
          const j = Math.floor(Math.random() * (i + 1));
          [turn[i], turn[j]] = [turn[j]!, turn[i]!];
        }
        turns.push(targets.map(() => NaN));
      }
      const index = turn[sent % turn.length]!;
      const thisTurn = turns[turns.length - 1]!;
      const result = results[index]!;
      sent += 1;
      result.sent += 1;
      outstanding += 1;
      timedRequest(targets[index]!, options.stream, dueAt)
        .then((timing) => {
          result.ok += 1;
          result.firstByteMs.push(timing.firstByteMs);
          result.totalMs.push(timing.totalMs);
          thisTurn[index] = timing.totalMs;
        })
        .catch((error: unknown) => {
          result.errors += 1;
          const reason = String((error as { code?: unknown })?.code ?? (error as Error)?.name ?? "error");
          result.errorReasons[reason] = (result.errorReasons[reason] ?? 0) + 1;
        })
        .finally(() => {
          outstanding -= 1;
          if (outstanding === 0) drained?.();
        });
    }
    await new Promise((resolve) => setTimeout(resolve, 1));
  }
  const seconds = (performance.now() - start) / 1000;
  for (const result of results) result.sentPerSecond = Math.round(result.sent / seconds);
  if (outstanding > 0)
    await new Promise<void>((resolve) => {
      drained = resolve;
      setTimeout(resolve, options.drainMs ?? 10_000);
    });
  // Copies: anything still unanswered after the drain counts as failed, even if it answers later.
  return {
    results: results.map((result) => ({
      ...result,
      errors: result.sent - result.ok,
      errorReasons: {
        ...result.errorReasons,
        ...(result.sent - result.ok - Object.values(result.errorReasons).reduce((a, b) => a + b, 0) > 0
          ? {
              "unanswered after the drain":
                result.sent - result.ok - Object.values(result.errorReasons).reduce((a, b) => a + b, 0),
            }
          : {}),
      },
      firstByteMs: [...result.firstByteMs],
      totalMs: [...result.totalMs],
    })),
    turns: turns.map((times) => [...times]),
  };
}

export function percentile(samples: readonly number[], p: number): number {
  if (samples.length === 0) return NaN;
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}

export const round2 = (value: number) => Math.round(value * 100) / 100;
