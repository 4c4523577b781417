import { describe, expect, test } from "vitest";

import { createResilientFetch } from "@/lib/provider-clients/resilient-fetch";

const fast = { baseDelayMs: 1, maxDelayMs: 5, maxRetryAfterMs: 50 };

type Step = () => Response | Error;

// A transport that answers from a script, one entry per attempt (the last one repeats).
function scripted(steps: Step[]) {
  const calls: RequestInit[] = [];
  const baseFetch = (async (_input: RequestInfo | URL, init?: RequestInit) => {
    calls.push(init ?? {});
    const step = steps[Math.min(calls.length - 1, steps.length - 1)]?.() ?? new Response("ok");
    if (step instanceof Error) throw step;
    return step;
  }) as typeof fetch;
  return { baseFetch, calls };
}

const status =
  (code: number, body = "", headers: Record<string, string> = {}): Step =>
  () =>
    new Response(body, { status: code, headers });
const connectionError = (): Step => () =>
  new TypeError("fetch failed", { cause: Object.assign(new Error("connect ECONNREFUSED"), { code: "ECONNREFUSED" }) });

describe("createResilientFetch", () => {
  test("retries 429 and 5xx up to maxRetries, then returns the last answer", async () => {
    const { baseFetch, calls } = scripted([status(429), status(503), status(200, "done")]);
    const { fetch, stats } = createResilientFetch({ timeoutMs: 1000, maxRetries: 2, policy: fast, baseFetch });
    const response = await fetch("http://x/");
    expect(await response.text()).toBe("done");
    expect(calls).toHaveLength(3);
    expect(stats).toMatchObject({ attempts: 3, lastStatus: 200 });

    const failing = scripted([status(500)]);
    const gaveUp = createResilientFetch({ timeoutMs: 1000, maxRetries: 2, policy: fast, baseFetch: failing.baseFetch });
    expect((await gaveUp.fetch("http://x/")).status).toBe(500);
    expect(failing.calls).toHaveLength(3);
  });

  test.each([400, 401, 403, 404, 422])("never retries %i", async (code) => {
    const { baseFetch, calls } = scripted([status(code), status(200)]);
    const { fetch } = createResilientFetch({ timeoutMs: 1000, maxRetries: 3, policy: fast, baseFetch });
    expect((await fetch("http://x/")).status).toBe(code);
    expect(calls).toHaveLength(1);
  });

  test("does not retry a 429 that says the quota is gone, and keeps its body readable", async () => {
    const body = '{"error":{"code":"insufficient_quota","message":"You exceeded your current quota"}}';
    const { baseFetch, calls } = scripted([status(429, body), status(200)]);
    const { fetch } = createResilientFetch({ timeoutMs: 1000, maxRetries: 3, policy: fast, baseFetch });
    const response = await fetch("http://x/");
    expect(response.status).toBe(429);
    expect(await response.text()).toBe(body);
    expect(calls).toHaveLength(1);
  });

  test("waits what Retry-After asks, capped by the policy", async () => {
    const { baseFetch } = scripted([
      status(429, "", { "retry-after": "0.02" }),
      status(429, "", { "retry-after": "60" }),
      status(200),
    ]);
    const { fetch, stats } = createResilientFetch({ timeoutMs: 1000, maxRetries: 2, policy: fast, baseFetch });
    await fetch("http://x/");
    expect(stats.delaysMs).toEqual([20, 50]);
  });

  test("retries connection errors but not timeouts", async () => {
    const refused = scripted([connectionError(), status(200)]);
    const retried = createResilientFetch({
      timeoutMs: 1000,
      maxRetries: 1,
      policy: fast,
      baseFetch: refused.baseFetch,
    });
    expect((await retried.fetch("http://x/")).status).toBe(200);
    expect(refused.calls).toHaveLength(2);

    const hanging = (async (_input: RequestInfo | URL, init?: RequestInit) =>
      new Promise<Response>((_resolve, reject) =>
        init?.signal?.addEventListener("abort", () => reject(init.signal?.reason)),
      )) as typeof fetch;
    const timed = createResilientFetch({ timeoutMs: 30, maxRetries: 3, policy: fast, baseFetch: hanging });
    await expect(timed.fetch("http://x/")).rejects.toMatchObject({ name: "TimeoutError" });
    expect(timed.stats.attempts).toBe(1);
  });

  test("every attempt carries a signal that the caller's abort reaches", async () => {
    const controller = new AbortController();
    const { baseFetch, calls } = scripted([status(200)]);
    const { fetch } = createResilientFetch({ timeoutMs: 1000, maxRetries: 0, signal: controller.signal, baseFetch });
    await fetch("http://x/");
    controller.abort();
    expect(calls[0]?.signal?.aborted).toBe(true);
  });
});
