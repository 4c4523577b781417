import "server-only";
import { logger } from "@/lib/log/logger";
import { claimResults, finishRunIfComplete, renewLeases, runningRuns, type Claimed } from "@/lib/evals/queue";
import { failClaimed, processResult } from "@/lib/evals/process-result";

// The evaluation worker, one per server process (instrumentation.ts). Every tick it claims work for
// each running run from the durable queue (lib/evals/queue.ts), up to the run's concurrency across
// all instances and this process's own cap, processes the claims without waiting for them, and
// keeps their leases alive while the calls run. A process that dies stops renewing; its rows are
// claimed again by any worker once the lease runs out, so a run survives a restart.

export type EvalWorkerOptions = {
  /** How long a claim stays valid without renewal (EVAL_LEASE_MS, default 2 minutes). */
  leaseMs?: number;
  pollMs?: number;
  /** Calls this process runs at once across all runs (EVAL_WORKER_MAX_IN_FLIGHT, default 8). */
  maxInFlight?: number;
};

export type EvalWorker = {
  tick: () => Promise<number>;
  start: () => void;
  /** Stops claiming and waits for the calls in flight to finish and be written. */
  stop: () => Promise<void>;
  /** Stops at once as a crash would: calls are aborted and nothing more is written. */
  crash: () => void;
  inFlight: () => number;
};

export function createEvalWorker(options: EvalWorkerOptions = {}): EvalWorker {
  const leaseMs = options.leaseMs ?? Number(process.env.EVAL_LEASE_MS ?? 120_000);
  const pollMs = options.pollMs ?? Number(process.env.EVAL_WORKER_INTERVAL_MS ?? 1_000);
  const maxInFlight = options.maxInFlight ?? Number(process.env.EVAL_WORKER_MAX_IN_FLIGHT ?? 8);
  const held = new Map<string, { claimed: Claimed; done: Promise<void> }>();
  const abort = new AbortController();
  let crashed = false;
  let stopping = false;
  let timer: NodeJS.Timeout | undefined;
  let renewer: NodeJS.Timeout | undefined;
  let ticking: Promise<number> | null = null;

  const live = { signal: abort.signal, alive: () => !crashed };

  function launch(runId: string, claimed: Claimed) {
    const done = processResult(claimed, live)
      .catch(async (error: unknown) => {
        if (crashed) return;
        logger.error("evaluation case failed", { runId, resultId: claimed.id, error });
        await failClaimed(claimed, "The case failed unexpectedly; the error was logged.").catch(() => undefined);
      })
      .then(async () => {
        held.delete(claimed.id);
        if (!crashed) await finishRunIfComplete(runId).catch(() => undefined);
      });
    held.set(claimed.id, { claimed, done });
  }

  async function tickOnce(): Promise<number> {
    if (crashed || stopping) return 0;
    let claimedCount = 0;
    for (const runId of await runningRuns()) {
      const room = maxInFlight - held.size;
      if (room <= 0) break;
      const claims = await claimResults(runId, room, leaseMs);
      if (crashed) return claimedCount;
      for (const claimed of claims) launch(runId, claimed);
      claimedCount += claims.length;
      if (claims.length === 0) await finishRunIfComplete(runId);
    }
    return claimedCount;
  }

  const tick = () => {
    ticking ??= tickOnce().finally(() => {
      ticking = null;
    });
    return ticking;
  };

  return {
    tick,
    start() {
      if (timer) return;
      timer = setInterval(() => {
        void tick().catch((error: unknown) => logger.error("evaluation worker tick failed", { error }));
      }, pollMs);
      renewer = setInterval(
        () => {
          if (crashed) return;
          void renewLeases(
            [...held.values()].map((entry) => entry.claimed),
            leaseMs,
          ).catch((error: unknown) => logger.warn("evaluation lease renewal failed", { error }));
        },
        Math.max(50, Math.floor(leaseMs / 3)),
      );
      timer.unref();
      renewer.unref();
    },
    async stop() {
      stopping = true;
      clearInterval(timer);
      await ticking;
      await Promise.all([...held.values()].map((entry) => entry.done));
      clearInterval(renewer);
    },
    crash() {
      crashed = true;
      clearInterval(timer);
      clearInterval(renewer);
      abort.abort(new Error("worker stopped"));
    },
    inFlight: () => held.size,
  };
}

const state = globalThis as unknown as { evalWorker?: EvalWorker };

/** Starts this process's worker once (instrumentation.ts). EVAL_WORKER=off disables it. */
export function startEvalWorker(): void {
  if (state.evalWorker || process.env.EVAL_WORKER === "off") return;
  state.evalWorker = createEvalWorker();
  state.evalWorker.start();
}
