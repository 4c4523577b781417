import { afterAll, beforeAll, describe, expect, it } from "vitest";
import Anthropic from "@anthropic-ai/sdk";
import { Prisma } from "@/lib/generated/prisma/client";
import type { Actor } from "@/lib/auth/session";
import { startFakeProvider, type FakeProvider } from "@/tests/fake-provider/server";
import { estimateTokens, FAKE_TOOL_ARGUMENTS } from "@/tests/fake-provider/http-utils";
import { createActor } from "../support/actors";
import { startGatewayProcess, type GatewayProcess } from "../support/gateway-process";
import { seedProvider, type Seeded } from "./test-calls-support";
import { gatewayUsageOf, providerSlug, seedGatewayKey, type SeededGatewayKey } from "./gateway-support";

// Applications built on Anthropic's own SDK call the gateway's /v1/messages unchanged (base URL
// without /v1, the gateway key as the API key) and reach Anthropic-kind providers.

const REPLY = "Hello from the fake provider. Everything is working as expected today.";
const REPLY_WORDS = 11;
const PRICE = { input: "3", output: "15" };

let fake: FakeProvider;
let gateway: GatewayProcess;
let admin: Actor;
let anthropic: Seeded & { name: string };
let openai: Seeded & { name: string };

beforeAll(async () => {
  fake = await startFakeProvider();
  admin = await createActor("ADMIN");
  const a = await seedProvider(admin, fake.url, "anthropic", { price: PRICE });
  anthropic = { ...a, name: `${await providerSlug(a.providerId)}/fake-small` };
  const o = await seedProvider(admin, fake.url, "openai", { price: PRICE });
  openai = { ...o, name: `${await providerSlug(o.providerId)}/fake-small` };
  gateway = await startGatewayProcess();
}, 60_000);

afterAll(async () => {
  await gateway?.stop();
  await fake?.close();
});

async function clientFor() {
  const key = await seedGatewayKey();
  return { key, client: new Anthropic({ baseURL: gateway.url, apiKey: key.key, maxRetries: 0 }) };
}

const cost = (input: number, output: number) =>
  new Prisma.Decimal(input).mul(PRICE.input).add(new Prisma.Decimal(output).mul(PRICE.output)).div(1_000_000);

async function expectRecord(key: SeededGatewayKey, input: number, output: number) {
  const rows = await gatewayUsageOf(key.id, 1);
  expect(rows).toHaveLength(1);
  expect(rows[0]).toMatchObject({
    source: "GATEWAY",
    status: "OK",
    providerId: anthropic.providerId,
    modelId: anthropic.modelId,
    gatewayKeyId: key.id,
    teamId: key.teamId,
    inputTokens: input,
    outputTokens: output,
    estimated: false,
    priced: true,
  });
  expect(rows[0]!.cost?.equals(cost(input, output))).toBe(true);
}

describe("@anthropic-ai/sdk through the gateway's /v1/messages", () => {
  it("messages, not streamed: the provider's answer and one priced record", async () => {
    const { key, client } = await clientFor();
    const system = "You are a terse assistant.";
    const prompt = "Say hello through the Anthropic SDK";
    const message = await client.messages.create({
      model: anthropic.name,
      max_tokens: 64,
      system,
      messages: [{ role: "user", content: prompt }],
    });
    const input = Math.ceil((system.length + 1 + prompt.length) / 4);
    expect(message.type).toBe("message");
    expect(message.content).toEqual([{ type: "text", text: REPLY }]);
    expect(message.stop_reason).toBe("end_turn");
    expect(message.usage).toMatchObject({ input_tokens: input, output_tokens: REPLY_WORDS });
    // The provider was called with its own model id and its own key, not the caller's.
    const received = fake.requests.filter((r) => r.route === "anthropic.chat").at(-1)!;
    expect(received.body.model).toBe("fake-small");
    expect(received.headers["x-api-key"]).toBe("[provider key]");
    expect(JSON.stringify(received.headers)).not.toContain(key.key);
    await expectRecord(key, input, REPLY_WORDS);
  });

  it("messages, streamed: every event arrives, the final message carries the usage, one record", async () => {
    const { key, client } = await clientFor();
    const prompt = "Stream a hello through the Anthropic SDK";
    const stream = client.messages.stream({
      model: anthropic.name,
      max_tokens: 64,
      messages: [{ role: "user", content: prompt }],
    });
    let text = "";
    stream.on("text", (delta) => (text += delta));
    const final = await stream.finalMessage();
    const input = Math.ceil(prompt.length / 4);
    expect(text).toBe(REPLY);
    expect(final.content).toEqual([{ type: "text", text: REPLY }]);
    expect(final.usage).toMatchObject({ input_tokens: input, output_tokens: REPLY_WORDS });
    await expectRecord(key, input, REPLY_WORDS);
  });

  it("tools: the provider's tool_use block comes back as it was sent", async () => {
    const { key, client } = await clientFor();
    const prompt = "Look it up";
    const message = await client.messages.create({
      model: anthropic.name,
      max_tokens: 64,
      tools: [{ name: "lookup", input_schema: { type: "object", properties: { query: { type: "string" } } } }],
      messages: [{ role: "user", content: prompt }],
    });
    expect(message.stop_reason).toBe("tool_use");
    expect(message.content).toMatchObject([{ type: "tool_use", name: "lookup", input: FAKE_TOOL_ARGUMENTS }]);
    await expectRecord(key, Math.ceil(prompt.length / 4), estimateTokens(JSON.stringify(FAKE_TOOL_ARGUMENTS)));
  });

  it("a model of a non-Anthropic provider gets an Anthropic-shaped 400 and reaches no provider", async () => {
    const { client } = await clientFor();
    const before = fake.count();
    const error = await client.messages
      .create({ model: openai.name, max_tokens: 16, messages: [{ role: "user", content: "hi" }] })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Anthropic.BadRequestError);
    const apiError = error as InstanceType<typeof Anthropic.BadRequestError>;
    expect(apiError.status).toBe(400);
    expect(apiError.error).toMatchObject({ type: "error", error: { type: "invalid_request_error" } });
    expect((apiError.error as { error: { message: string } }).error.message).toContain("/v1/chat/completions");
    expect(fake.count()).toBe(before);
  });

  it("a wrong gateway key gets an Anthropic-shaped 401", async () => {
    const client = new Anthropic({ baseURL: gateway.url, apiKey: "pcgw-not-a-real-key", maxRetries: 0 });
    const error = await client.messages
      .create({ model: anthropic.name, max_tokens: 16, messages: [{ role: "user", content: "hi" }] })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Anthropic.AuthenticationError);
    expect((error as InstanceType<typeof Anthropic.AuthenticationError>).error).toMatchObject({
      type: "error",
      error: { type: "authentication_error" },
    });
  });
});
