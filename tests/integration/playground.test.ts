import { afterAll, beforeAll, beforeEach, describe, expect, test, vi } from "vitest";
import { getServerSession } from "next-auth";
import { db } from "@/lib/db/client";
import { executeAction } from "@/lib/actions/define-action";
import type { Actor } from "@/lib/auth/session";
import { updateTranscriptSettingsSpec } from "@/lib/health-checks/action-specs";
import type { PlaygroundEvent } from "@/lib/playground/stream-call";
import { POST } from "@/app/api/playground/route";
import { startFakeProvider, type FakeProvider } from "@/tests/fake-provider/server";
import { createActor, sessionOf } from "../support/actors";
import { seedProvider, testUsageOf } from "./test-calls-support";

// The route reads the session through getServerSession; the decoded session is stood in for,
// and everything after it (the user row, role, stream, usage) is real.
vi.mock("next-auth", () => ({ getServerSession: vi.fn() }));
const session = vi.mocked(getServerSession);

let fake: FakeProvider;
let admin: Actor;
beforeAll(async () => {
  fake = await startFakeProvider();
  admin = await createActor("ADMIN");
  // The settings row is a singleton other files change (hostile inputs may turn transcripts on):
  // start from the defaults, transcripts off.
  await db.testCallSettings.deleteMany({});
});
afterAll(async () => {
  await db.testCallSettings.deleteMany({});
  await fake.close();
});
beforeEach(() => signIn(admin));

function signIn(actor: Actor | null) {
  session.mockResolvedValue(sessionOf(actor));
}

// What the console's own page sends: same origin, JSON (the pipeline refuses anything else).
const SAME_ORIGIN = { host: "console.test", origin: "http://console.test", "content-type": "application/json" };
const post = (body: unknown, signal?: AbortSignal) =>
  POST(
    new Request("http://console.test/api/playground", {
      method: "POST",
      headers: SAME_ORIGIN,
      body: typeof body === "string" ? body : JSON.stringify(body),
      signal,
    }),
  );

async function events(response: Response): Promise<PlaygroundEvent[]> {
  return (await response.text())
    .split("\n")
    .filter(Boolean)
    .map((line) => JSON.parse(line) as PlaygroundEvent);
}

describe("POST /api/playground", () => {
  test("streams the answer token by token, then latency, TTFT, tokens and cost; records playground usage", async () => {
    const seeded = await seedProvider(admin, fake.url, "anthropic", { model: "claude-fake-drip-20" });
    const response = await post({
      providerId: seeded.providerId,
      modelId: seeded.modelId,
      prompt: "Say hello",
      maxOutputTokens: 8,
    });
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toContain("application/x-ndjson");
    const lines = await events(response);
    const tokens = lines.filter((e) => e.type === "token");
    expect(tokens.length).toBeGreaterThan(1);
    const done = lines.at(-1)!;
    expect(done.type).toBe("done");
    if (done.type !== "done") return;
    expect(done.outcome).toMatchObject({ ok: true, outputTokens: 8, priced: true, keyId: seeded.keyId });
    expect(done.outcome.ttftMs!).toBeLessThan(done.outcome.latencyMs!);
    expect(tokens.map((t) => (t.type === "token" ? t.text : "")).join("")).toMatch(
      /^Hello from the fake provider\. \S/,
    );
    const [usage] = await testUsageOf(seeded.providerId);
    expect(usage).toMatchObject({ tag: "playground", status: "OK", outputTokens: 8 });
    expect(await db.playgroundTranscript.count({ where: { providerId: seeded.providerId } })).toBe(0);
  });

  test("a named key of another provider is not found and nothing is called", async () => {
    const a = await seedProvider(admin, fake.url, "openai");
    const b = await seedProvider(admin, fake.url, "openai");
    fake.reset();
    const response = await post({ providerId: a.providerId, modelId: a.modelId, keyId: b.keyId, prompt: "hi" });
    expect(response.status).toBe(404);
    expect(await response.json()).toEqual({ ok: false, message: "Key was not found." });
    expect(fake.count()).toBe(0);
  });

  test("bad input is a 400 with field errors, never a 500", async () => {
    const seeded = await seedProvider(admin, fake.url, "openai");
    expect((await post("not json")).status).toBe(400);
    const empty = await post({ providerId: seeded.providerId, modelId: seeded.modelId, prompt: "   " });
    expect(empty.status).toBe(400);
    expect((await empty.json()).fieldErrors.prompt).toBeDefined();
    expect((await post({ providerId: "nope", modelId: seeded.modelId, prompt: "x" })).status).toBe(400);
    expect(
      (await post({ providerId: seeded.providerId, modelId: seeded.modelId, prompt: "x", maxOutputTokens: 999_999 }))
        .status,
    ).toBe(400);
  });

  test("a provider failure ends the stream with its class, scrubbed", async () => {
    const seeded = await seedProvider(admin, fake.url, "openai", { apiKey: "sk-refused-by-fake-abcdef" });
    const lines = await events(await post({ providerId: seeded.providerId, modelId: seeded.modelId, prompt: "hi" }));
    expect(lines.at(-1)).toMatchObject({ type: "done", outcome: { ok: false, errorClass: "invalid_key" } });
    expect(JSON.stringify(lines)).not.toContain(seeded.apiKey);
  });

  test("the client going away cancels the provider call", async () => {
    const seeded = await seedProvider(admin, fake.url, "openai", { model: "gpt-fake-drip-200", timeoutMs: 20_000 });
    const controller = new AbortController();
    const started = Date.now();
    const response = await post(
      { providerId: seeded.providerId, modelId: seeded.modelId, prompt: "hi", maxOutputTokens: 11 },
      controller.signal,
    );
    const reader = response.body!.getReader();
    await reader.read();
    controller.abort();
    await reader.cancel().catch(() => undefined);
    // The full answer would take 11 × 200 ms; cancelled, the usage row lands well before that.
    for (let i = 0; i < 40 && (await testUsageOf(seeded.providerId)).length === 0; i += 1)
      await new Promise((r) => setTimeout(r, 50));
    const [usage] = await testUsageOf(seeded.providerId);
    expect(usage).toMatchObject({ status: "ERROR", errorClass: "cancelled" });
    expect(Date.now() - started).toBeLessThan(2_000);
  });

  test("transcripts are stored only while the admin has them on", async () => {
    const seeded = await seedProvider(admin, fake.url, "google");
    expect((await executeAction(updateTranscriptSettingsSpec, admin, { storeTranscripts: "on" })).ok).toBe(true);
    await events(
      await post({ providerId: seeded.providerId, modelId: seeded.modelId, prompt: "remember me", maxOutputTokens: 3 }),
    );
    const stored = await db.playgroundTranscript.findMany({ where: { providerId: seeded.providerId } });
    expect(stored).toHaveLength(1);
    expect(stored[0]).toMatchObject({ prompt: "remember me", answer: "Hello from the", ok: true, actorId: admin.id });

    expect((await executeAction(updateTranscriptSettingsSpec, admin, {})).ok).toBe(true);
    await events(
      await post({ providerId: seeded.providerId, modelId: seeded.modelId, prompt: "forget me", maxOutputTokens: 3 }),
    );
    expect(await db.playgroundTranscript.count({ where: { providerId: seeded.providerId } })).toBe(1);
  });
});
