import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Actor } from "@/lib/auth/session";
import { db } from "@/lib/db/client";
import { startFakeProvider, type FakeProvider } from "@/tests/fake-provider/server";
import { createActor } from "../support/actors";
import { startGatewayProcess, type GatewayProcess } from "../support/gateway-process";
import { letters, seedProvider } from "./test-calls-support";
import { providerSlug, seedGatewayKey } from "./gateway-support";
import { chat, type GatewayAnswer } from "./gateway-load-support";

// A graceful stop (SIGTERM) in the middle of steady load: requests already running are answered,
// and every answered request has its usage record when the process has exited (the writer flushes
// on the way out). Records are matched by the x-request-id each answer carries.

let fake: FakeProvider;
let admin: Actor;
let gateway: GatewayProcess | undefined;

beforeAll(async () => {
  fake = await startFakeProvider();
  admin = await createActor("ADMIN");
}, 60_000);

afterAll(async () => {
  await gateway?.stop();
  await fake?.close();
});

describe("gateway graceful shutdown", () => {
  it("SIGTERM mid-load: every answered request has its usage record", async () => {
    const upstream = `fake-slow-300-${letters()}`;
    const seeded = await seedProvider(admin, fake.url, "openai", { model: upstream });
    const model = `${await providerSlug(seeded.providerId)}/${upstream}`;
    const key = await seedGatewayKey();
    // Flushes far apart: what is written at exit is the queue, not a timer tick that happened by.
    const running = await startGatewayProcess({ GATEWAY_FLUSH_MS: "60000" });
    gateway = running;

    const answered: (GatewayAnswer & { afterSignal: boolean })[] = [];
    let unanswered = 0;
    let signalled = false;
    let exit: Promise<number | null> | null = null;
    const worker = async () => {
      for (;;) {
        try {
          const answer = await chat(running.url, key.key, model);
          answered.push({ ...answer, afterSignal: signalled });
        } catch {
          unanswered += 1; // refused connection or closed socket: the gateway is going away
          return;
        }
        if (answered.length >= 24 && !signalled) {
          signalled = true;
          exit = running.stop("SIGTERM");
        }
      }
    };
    await Promise.all(Array.from({ length: 8 }, worker));
    // 0 is the gateway's own clean exit; 143 would mean it was killed before it could flush.
    expect(await exit).toBe(0);

    const ok = answered.filter((answer) => answer.status === 200);
    expect(answered.filter((answer) => answer.status !== 200)).toEqual([]);
    // Requests running at the signal finished with an answer rather than being cut off.
    expect(ok.filter((answer) => answer.afterSignal).length).toBeGreaterThan(0);
    expect(unanswered).toBeGreaterThan(0);
    const records = await db.usageRecord.findMany({
      where: { gatewayKeyId: key.id, source: "GATEWAY" },
      select: { clientRecordId: true, status: true },
    });
    const recorded = new Map(records.map((record) => [record.clientRecordId, record.status]));
    const missing = ok.filter((answer) => recorded.get(answer.requestId!) !== "OK").map((answer) => answer.requestId);
    expect(missing).toEqual([]);
  }, 90_000);
});
