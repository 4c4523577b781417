import { isNetworkError, mentionsQuota } from "@/lib/provider-clients/errors";
import { createProviderFetch, type ProviderFetchOptions } from "@/lib/provider-clients/provider-fetch";
import {
  DEFAULT_RETRY_POLICY,
  backoffDelay,
  isRetryableStatus,
  retryDelay,
  sleep,
  type RetryPolicy,
} from "@/lib/provider-clients/retry";

export type FetchStats = {
  attempts: number;
  lastStatus?: number;
  // Waits between attempts, for tests and for showing "retried twice" in the UI.
  delaysMs: number[];
};

export type ResilientFetchOptions = {
  // Per attempt, covering the whole answer including a streamed body.
  timeoutMs: number;
  maxRetries: number;
  signal?: AbortSignal;
  policy?: RetryPolicy;
  // The transport underneath (default: the provider transport, provider-fetch.ts, with `transport`
  // as its options); unit tests substitute a scripted one.
  baseFetch?: typeof fetch;
  transport?: ProviderFetchOptions;
};

// The fetch handed to the AI SDK (whose own retries are off, so they are not doubled): a timeout
// per attempt, and retries only where a second try can help: 429 (not quota), 5xx, and
// connection failures before any answer. Timeouts are not retried: the budget is already spent.
export function createResilientFetch(options: ResilientFetchOptions): { fetch: typeof fetch; stats: FetchStats } {
  const policy = options.policy ?? DEFAULT_RETRY_POLICY;
  const stats: FetchStats = { attempts: 0, delaysMs: [] };
  const baseFetch = options.baseFetch ?? createProviderFetch(options.transport);

  const resilientFetch = async (input: RequestInfo | URL, init?: RequestInit): Promise<Response> => {
    for (let attempt = 0; ; attempt += 1) {
      const timeout = AbortSignal.timeout(options.timeoutMs);
      const callerSignals = [init?.signal, options.signal].filter((s): s is AbortSignal => Boolean(s));
      const signal = AbortSignal.any([timeout, ...callerSignals]);
      const canRetry = attempt < options.maxRetries;
      stats.attempts += 1;

      let response: Response;
      try {
        response = await baseFetch(input, { ...init, signal });
      } catch (error) {
        if (signal.aborted || !canRetry || !isNetworkError(error)) throw error;
        await wait(backoffDelay(attempt, policy), callerSignals);
        continue;
      }
      stats.lastStatus = response.status;
      if (!canRetry || !isRetryableStatus(response.status)) return response;

      if (response.status === 429) {
        // Quota exhaustion also answers 429, but waiting will not refill a balance.
        const body = await response.text();
        if (mentionsQuota(body)) {
          return new Response(body, {
            status: response.status,
            statusText: response.statusText,
            headers: response.headers,
          });
        }
      } else {
        // Not awaited: a cancel can wait on other readers of the body, and nothing here needs it.
        void response.body?.cancel().catch(() => undefined);
      }
      await wait(retryDelay(response.headers, attempt, policy), callerSignals);
    }
  };

  async function wait(ms: number, signals: AbortSignal[]): Promise<void> {
    stats.delaysMs.push(ms);
    await sleep(ms, signals.length > 0 ? AbortSignal.any(signals) : undefined);
  }

  return { fetch: resilientFetch as typeof fetch, stats };
}
