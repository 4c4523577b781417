import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Actor } from "@/lib/auth/session";
import { pool } from "@/lib/db/client";
import { createActor } from "../support/actors";
import { startGatewayProcess, type GatewayProcess } from "../support/gateway-process";
import { scriptPid } from "../support/process-tree";
import { seedProvider } from "./test-calls-support";
import { providerSlug, seedGatewayKey, type SeededGatewayKey } from "./gateway-support";
import { chat } from "./gateway-load-support";

// The usage writer's crash window. Records are queued and written every GATEWAY_FLUSH_MS (100 ms),
// so a gateway killed with SIGKILL loses what was still queued (and a batch whose transaction had
// not committed), never more; a graceful SIGTERM loses nothing. The upstream counts what it
// answered, the ground truth the records are compared with. docs/benchmarks.md has the numbers.

const FLUSH_MS = 100;
const WORKERS = 8;

let upstream: http.Server;
let upstreamUrl: string;
/** Date.now() of every answer the upstream finished sending. */
let answeredAt: number[] = [];
let admin: Actor;
let model: string;
const gateways: GatewayProcess[] = [];

beforeAll(async () => {
  upstream = http.createServer({ keepAliveTimeout: 65_000 }, (req, res) => {
    req.resume();
    req.on("end", () => {
      const body = JSON.stringify({
        id: "chatcmpl-count",
        object: "chat.completion",
        created: 1,
        model: "count-model",
        choices: [{ index: 0, message: { role: "assistant", content: "counted" }, finish_reason: "stop" }],
        usage: { prompt_tokens: 3, completion_tokens: 1, total_tokens: 4 },
      });
      res.once("finish", () => answeredAt.push(Date.now()));
      res.writeHead(200, { "content-type": "application/json", "content-length": Buffer.byteLength(body) });
      res.end(body);
    });
  });
  await new Promise<void>((resolve) => upstream.listen(0, "127.0.0.1", resolve));
  upstreamUrl = `http://127.0.0.1:${(upstream.address() as AddressInfo).port}`;
  admin = await createActor("ADMIN");
  const seeded = await seedProvider(admin, upstreamUrl, "openai", { model: "count-model" });
  model = `${await providerSlug(seeded.providerId)}/count-model`;
}, 60_000);

afterAll(async () => {
  // SIGTERM is relayed by tsx to the script (a failed test may leave one running).
  for (const gateway of gateways) if (gateway.child.exitCode === null) await gateway.stop("SIGTERM");
  await new Promise((resolve) => upstream?.close(resolve));
});

/** Steady load from WORKERS callers until the gateway stops answering; `onAnswer` may stop it. */
async function loadUntilGone(
  gateway: GatewayProcess,
  key: SeededGatewayKey,
  onAnswer: () => void,
): Promise<{ answered: string[] }> {
  const answered: string[] = [];
  const worker = async () => {
    for (;;) {
      try {
        const answer = await chat(gateway.url, key.key, model);
        if (answer.status !== 200) throw new Error(`HTTP ${answer.status}: ${answer.message}`);
        answered.push(answer.requestId!);
      } catch {
        return; // refused or reset: the gateway is gone
      }
      onAnswer();
    }
  };
  await Promise.all(Array.from({ length: WORKERS }, worker));
  return { answered };
}

async function recordsOf(key: SeededGatewayKey) {
  const { rows } = await pool.query<{ client_record_id: string; occurred_at: Date; status: string }>(
    "SELECT client_record_id, occurred_at, status::text FROM usage_records WHERE source = 'GATEWAY' AND gateway_key_id = $1::uuid",
    [key.id],
  );
  return rows;
}

describe("gateway crash window", () => {
  it("SIGKILL mid-load loses at most the records of the last flush interval", async () => {
    answeredAt = [];
    const key = await seedGatewayKey();
    const gateway = await startGatewayProcess({ GATEWAY_FLUSH_MS: String(FLUSH_MS) });
    gateways.push(gateway);
    const exited = new Promise((resolve) => gateway.child.once("exit", resolve));
    // The script's own process (under a wrapper, SIGKILL would not reach it).
    const script = scriptPid(gateway.child.pid!);
    let killedAt = 0;
    const load = await loadUntilGone(gateway, key, () => {
      if (!killedAt && answeredAt.length >= 300) {
        killedAt = Date.now();
        process.kill(script, "SIGKILL");
      }
    });
    await exited;
    expect(killedAt).toBeGreaterThan(0);

    const records = await recordsOf(key);
    const upstreamAnswered = answeredAt.length;
    const lost = upstreamAnswered - records.length;
    const recorded = new Set(records.map((row) => row.client_record_id));
    // Every record belongs to a request the upstream answered, each once.
    expect(recorded.size).toBe(records.length);
    expect(lost).toBeGreaterThanOrEqual(0);
    expect(records.every((row) => row.status === "OK")).toBe(true);
    // Flushes ran under load: most answered requests were written before the kill.
    expect(records.length).toBeGreaterThan(upstreamAnswered / 2);
    // Only requests that finished after the last written batch was taken can be missing. That
    // batch was taken after its newest record (lastWritten); an upstream answer precedes the
    // gateway's record of it by a few ms, so count answers from one flush interval before it.
    const lastWritten = Math.max(...records.map((row) => row.occurred_at.getTime()));
    const answeredSinceLastFlush = answeredAt.filter((at) => at >= lastWritten - FLUSH_MS).length;
    expect(lost).toBeLessThanOrEqual(answeredSinceLastFlush);
    // Answers the caller received but that have no record: all from after the last written batch.
    const unrecorded = load.answered.filter((id) => !recorded.has(id)).length;
    expect(unrecorded).toBeLessThanOrEqual(lost);
    console.info(
      `[crash window] upstream answered ${upstreamAnswered}, records ${records.length}, lost ${lost} ` +
        `(${unrecorded} of them answered to the caller); lost window ${killedAt - lastWritten} ms before SIGKILL ` +
        `(newest record to kill), ${answeredSinceLastFlush} answers in it`,
    );
  });

  it("SIGTERM mid-load loses nothing: records equal the upstream's answers", async () => {
    answeredAt = [];
    const key = await seedGatewayKey();
    const gateway = await startGatewayProcess({ GATEWAY_FLUSH_MS: String(FLUSH_MS) });
    gateways.push(gateway);
    let stopped: Promise<number | null> | null = null;
    const load = await loadUntilGone(gateway, key, () => {
      if (!stopped && answeredAt.length >= 200) stopped = gateway.stop("SIGTERM");
    });
    expect(await stopped).toBe(0);

    const records = await recordsOf(key);
    expect(records.length).toBe(answeredAt.length);
    const recorded = new Set(records.map((row) => row.client_record_id));
    expect(load.answered.filter((id) => !recorded.has(id))).toEqual([]);
    expect(records.every((row) => row.status === "OK")).toBe(true);
  });
});
