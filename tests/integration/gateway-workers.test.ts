import { Agent } from "undici";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startFakeProvider, type FakeProvider } from "@/tests/fake-provider/server";
import { createActor } from "../support/actors";
import { startGatewayProcess, type GatewayProcess } from "../support/gateway-process";
import { letters, seedProvider } from "./test-calls-support";
import { providerSlug, seedGatewayKey } from "./gateway-support";
import { chat, recordCount, roomInMinute, runPool } from "./gateway-load-support";

// GATEWAY_WORKERS=2: one gateway process, one port, two event loops (node:cluster). Both workers
// answer, limits hold across them like across instances, and a SIGTERM to the process stops both
// gracefully with every answered request recorded.

let fake: FakeProvider;
let gateway: GatewayProcess;
let model = "";

beforeAll(async () => {
  fake = await startFakeProvider();
  const admin = await createActor("ADMIN");
  const upstreamModel = `fake-${letters()}`;
  const seeded = await seedProvider(admin, fake.url, "openai", { model: upstreamModel });
  model = `${await providerSlug(seeded.providerId)}/${upstreamModel}`;
  gateway = await startGatewayProcess({ GATEWAY_WORKERS: "2" });
}, 120_000);

afterAll(async () => {
  await gateway?.stop();
  await fake?.close();
});

async function pidsAnswering(): Promise<Set<number>> {
  const pids = new Set<number>();
  // A new connection each time: the cluster hands connections to its workers in turn.
  for (let index = 0; index < 20 && pids.size < 2; index += 1) {
    const dispatcher = new Agent({ pipelining: 0 });
    const response = await fetch(`${gateway.url}/health`, { dispatcher } as RequestInit);
    pids.add(((await response.json()) as { pid: number }).pid);
    await dispatcher.close();
  }
  return pids;
}

describe("a gateway with two workers", () => {
  it("answers from both workers, holds a 30 RPM limit across them, and records every request after a SIGTERM", async () => {
    const pids = await pidsAnswering();
    expect(pids.size).toBe(2);
    expect(pids.has(gateway.child.pid!)).toBe(false);

    const key = await seedGatewayKey({ rpmLimit: 30 });
    await roomInMinute(15_000);
    const answers = await runPool(60, 6, () => chat(gateway.url, key.key, model));
    expect(answers.filter((answer) => answer.status === 200)).toHaveLength(30);
    expect(answers.every((answer) => answer.status === 200 || answer.status === 429)).toBe(true);

    const exitCode = await gateway.stop("SIGTERM");
    expect(exitCode).toBe(0);
    expect(await recordCount(key.id)).toBe(answers.length);
  }, 120_000);
});
