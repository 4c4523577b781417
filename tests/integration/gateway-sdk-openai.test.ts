import { afterAll, beforeAll, describe, expect, it } from "vitest";
import OpenAI from "openai";
import { Prisma } from "@/lib/generated/prisma/client";
import { countTokens } from "gpt-tokenizer/encoding/o200k_base";
import type { Actor } from "@/lib/auth/session";
import { db } from "@/lib/db/client";
import { PROVIDER_KIND_IDS, PROVIDER_KIND_SPECS, type ProviderKindId } from "@/lib/providers/catalog";
import { startFakeProvider, type FakeProvider, type FakeRequest } from "@/tests/fake-provider/server";
import { collectText, estimateTokens, fakeEmbedding, FAKE_TOOL_ARGUMENTS } from "@/tests/fake-provider/http-utils";
import { createActor } from "../support/actors";
import { startGatewayProcess, type GatewayProcess } from "../support/gateway-process";
import { seedProvider } from "./test-calls-support";
import { gatewayUsageOf, providerSlug, seedGatewayKey, type SeededGatewayKey } from "./gateway-support";

// "Real clients must work unchanged" (issue #13): the official openai SDK, pointed at the gateway
// with a gateway key, against a provider of every kind (the fake provider behind each). Expected
// token counts come from what was sent (the fake counts ceil(prompt characters / 4) and answers
// 11 words), never from the gateway.

const REPLY = "Hello from the fake provider. Everything is working as expected today.";
const REPLY_WORDS = 11;
const PRICE = { input: "2.5", output: "10" };
const TOOLS: OpenAI.Chat.Completions.ChatCompletionTool[] = [
  {
    type: "function",
    function: {
      name: "lookup",
      description: "Looks something up",
      parameters: { type: "object", properties: { query: { type: "string" } }, required: ["query"] },
    },
  },
];
const TOOL_OUTPUT_TOKENS = estimateTokens(JSON.stringify(FAKE_TOOL_ARGUMENTS));

type Target = { kind: ProviderKindId; providerId: string; modelRowId: string; name: string };

let fake: FakeProvider;
let gateway: GatewayProcess;
let admin: Actor;
const targets = new Map<ProviderKindId, Target>();
// Every key used and how many records it must have, re-counted at the end (no late extra rows).
const expectedRecords: { key: SeededGatewayKey; count: number }[] = [];

const wire = (kind: ProviderKindId) => PROVIDER_KIND_SPECS[kind].wireFormat;
const passthrough = (kind: ProviderKindId) => !["anthropic", "gemini"].includes(wire(kind));

beforeAll(async () => {
  fake = await startFakeProvider();
  admin = await createActor("ADMIN");
  for (const kind of PROVIDER_KIND_IDS) {
    const seeded = await seedProvider(admin, fake.url, kind, { price: PRICE });
    const slug = await providerSlug(seeded.providerId);
    targets.set(kind, {
      kind,
      providerId: seeded.providerId,
      modelRowId: seeded.modelId,
      name: `${slug}/fake-small`,
    });
  }
  gateway = await startGatewayProcess();
}, 60_000);

afterAll(async () => {
  await gateway?.stop();
  await fake?.close();
});

async function clientFor(expected: number, options: Parameters<typeof seedGatewayKey>[0] = {}) {
  const key = await seedGatewayKey(options);
  expectedRecords.push({ key, count: expected });
  return { key, client: new OpenAI({ baseURL: gateway.baseUrl, apiKey: key.key, maxRetries: 0 }) };
}

function lastRequest(route: string): FakeRequest {
  const request = fake.requests.filter((r) => r.route === route).at(-1);
  expect(request, `the fake received no ${route} request`).toBeDefined();
  return request!;
}

/** What the fake reports as input tokens for the request it received. */
const fakeInputTokens = (request: FakeRequest) => estimateTokens(collectText(request.body).join("\n"));

const cost = (input: number, output: number) =>
  new Prisma.Decimal(input).mul(PRICE.input).add(new Prisma.Decimal(output).mul(PRICE.output)).div(1_000_000);

type Expected = { input: number; output: number; estimated?: boolean };

async function expectRecords(key: SeededGatewayKey, target: Target, expected: Expected[]) {
  // In request order: one writer flush may insert several records in any id order.
  const rows = (await gatewayUsageOf(key.id, expected.length)).sort(
    (a, b) => a.occurredAt.getTime() - b.occurredAt.getTime(),
  );
  expect(rows).toHaveLength(expected.length);
  rows.forEach((row, index) => {
    const want = expected[index]!;
    expect(row).toMatchObject({
      source: "GATEWAY",
      status: "OK",
      providerId: target.providerId,
      modelId: target.modelRowId,
      gatewayKeyId: key.id,
      teamId: key.teamId,
      inputTokens: want.input,
      outputTokens: want.output,
      estimated: want.estimated ?? false,
      priced: true,
    });
    expect(row.cost?.equals(cost(want.input, want.output)), `cost of record ${index}`).toBe(true);
  });
}

async function collect(stream: AsyncIterable<OpenAI.Chat.Completions.ChatCompletionChunk>) {
  const chunks: OpenAI.Chat.Completions.ChatCompletionChunk[] = [];
  for await (const chunk of stream) chunks.push(chunk);
  const text = chunks.map((c) => c.choices[0]?.delta?.content ?? "").join("");
  return { chunks, text, usageChunks: chunks.filter((c) => c.usage) };
}

describe.each([...PROVIDER_KIND_IDS])("openai SDK through the gateway to a %s provider", (kind) => {
  const target = () => targets.get(kind)!;

  it("chat, not streamed: the answer and one priced record with the fake's counts", async () => {
    const { key, client } = await clientFor(1);
    const prompt = `Say hello to the ${kind} gateway test`;
    const answer = await client.chat.completions.create({
      model: target().name,
      messages: [{ role: "user", content: prompt }],
    });
    expect(answer.choices[0]?.message.content).toBe(REPLY);
    expect(answer.choices[0]?.finish_reason).toBe("stop");
    const input = Math.ceil(prompt.length / 4);
    expect(answer.usage).toMatchObject({ prompt_tokens: input, completion_tokens: REPLY_WORDS });
    expect(fakeInputTokens(lastRequest(passthrough(kind) ? "openai.chat" : `${wire(kind)}.chat`))).toBe(input);
    await expectRecords(key, target(), [{ input, output: REPLY_WORDS }]);
  });

  it("chat, streamed without include_usage: no usage chunk reaches the caller, usage is still recorded", async () => {
    const { key, client } = await clientFor(1);
    const prompt = `Stream a hello to ${kind}`;
    const { chunks, text, usageChunks } = await collect(
      await client.chat.completions.create({
        model: target().name,
        messages: [{ role: "user", content: prompt }],
        stream: true,
      }),
    );
    expect(text).toBe(REPLY);
    expect(usageChunks).toHaveLength(0);
    expect(chunks.filter((c) => c.choices.length === 0)).toHaveLength(0);
    expect(chunks.at(-1)?.choices[0]?.finish_reason).toBe("stop");
    await expectRecords(key, target(), [{ input: Math.ceil(prompt.length / 4), output: REPLY_WORDS }]);
  });

  it("chat, streamed with include_usage: exactly one usage chunk, last, with the fake's counts", async () => {
    const { key, client } = await clientFor(1);
    const prompt = `Stream a hello with usage to ${kind}`;
    const { chunks, text, usageChunks } = await collect(
      await client.chat.completions.create({
        model: target().name,
        messages: [{ role: "user", content: prompt }],
        stream: true,
        stream_options: { include_usage: true },
      }),
    );
    const input = Math.ceil(prompt.length / 4);
    expect(text).toBe(REPLY);
    expect(usageChunks).toHaveLength(1);
    expect(chunks.at(-1)).toBe(usageChunks[0]);
    expect(usageChunks[0]!.choices).toEqual([]);
    expect(usageChunks[0]!.usage).toMatchObject({ prompt_tokens: input, completion_tokens: REPLY_WORDS });
    await expectRecords(key, target(), [{ input, output: REPLY_WORDS }]);
  });

  it("tools: the provider's tool call comes back in OpenAI's shape, streamed and not, and the tool result is answered", async () => {
    const { key, client } = await clientFor(3);
    const prompt = `Look something up for ${kind}`;
    const first = await client.chat.completions.create({
      model: target().name,
      messages: [{ role: "user", content: prompt }],
      tools: TOOLS,
    });
    const choice = first.choices[0]!;
    expect(choice.finish_reason).toBe("tool_calls");
    const call = choice.message.tool_calls?.[0];
    expect(choice.message.tool_calls).toHaveLength(1);
    expect(call?.type).toBe("function");
    if (call?.type !== "function") throw new Error("no function call");
    expect(call.function.name).toBe("lookup");
    expect(JSON.parse(call.function.arguments)).toEqual(FAKE_TOOL_ARGUMENTS);
    expect(call.id).toBeTruthy();
    const firstInput = fakeInputTokens(lastRequest(passthrough(kind) ? "openai.chat" : `${wire(kind)}.chat`));
    expect(firstInput).toBe(Math.ceil(prompt.length / 4));

    const streamed = await collect(
      await client.chat.completions.create({
        model: target().name,
        messages: [{ role: "user", content: prompt }],
        tools: TOOLS,
        stream: true,
      }),
    );
    const deltas = streamed.chunks.flatMap((c) => c.choices[0]?.delta?.tool_calls ?? []);
    expect(deltas.length).toBeGreaterThan(0);
    expect(new Set(deltas.map((d) => d.index))).toEqual(new Set([0]));
    expect(deltas.map((d) => d.function?.name ?? "").join("")).toBe("lookup");
    expect(JSON.parse(deltas.map((d) => d.function?.arguments ?? "").join(""))).toEqual(FAKE_TOOL_ARGUMENTS);
    expect(streamed.chunks.at(-1)?.choices[0]?.finish_reason).toBe("tool_calls");

    const second = await client.chat.completions.create({
      model: target().name,
      messages: [
        { role: "user", content: prompt },
        { role: "assistant", content: null, tool_calls: [call] },
        { role: "tool", tool_call_id: call.id, content: "The answer is 42." },
      ],
      tools: TOOLS,
    });
    expect(second.choices[0]?.message.content).toBe(REPLY);
    expect(second.choices[0]?.finish_reason).toBe("stop");
    const secondInput = fakeInputTokens(lastRequest(passthrough(kind) ? "openai.chat" : `${wire(kind)}.chat`));
    await expectRecords(key, target(), [
      { input: firstInput, output: TOOL_OUTPUT_TOKENS },
      { input: firstInput, output: TOOL_OUTPUT_TOKENS },
      { input: secondInput, output: REPLY_WORDS },
    ]);
  });

  it("response_format json_object: the answer is JSON", async () => {
    const { key, client } = await clientFor(1);
    const prompt = `Answer in JSON for ${kind}`;
    const answer = await client.chat.completions.create({
      model: target().name,
      messages: [{ role: "user", content: prompt }],
      response_format: { type: "json_object" },
    });
    const content = answer.choices[0]?.message.content ?? "";
    const received = lastRequest(passthrough(kind) ? "openai.chat" : `${wire(kind)}.chat`);
    if (wire(kind) === "anthropic") {
      // Anthropic has no JSON mode: the gateway forces one tool and returns its input as the text.
      expect(JSON.parse(content)).toEqual(FAKE_TOOL_ARGUMENTS);
      await expectRecords(key, target(), [{ input: fakeInputTokens(received), output: TOOL_OUTPUT_TOKENS }]);
    } else {
      expect(JSON.parse(content)).toEqual({ answer: REPLY });
      await expectRecords(key, target(), [{ input: Math.ceil(prompt.length / 4), output: REPLY_WORDS }]);
    }
  });

  if (wire(kind) === "anthropic") {
    it("embeddings: refused with a 400 in OpenAI's shape", async () => {
      // Recorded: a request that named a known model is usage even when refused.
      const { client } = await clientFor(1);
      const before = fake.count();
      const error = await client.embeddings
        .create({ model: target().name, input: "anything" })
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(OpenAI.APIError);
      const apiError = error as InstanceType<typeof OpenAI.APIError>;
      expect(apiError.status).toBe(400);
      expect(apiError.error).toMatchObject({ type: "invalid_request_error", code: "unsupported_parameter" });
      expect(fake.count()).toBe(before);
    });
  } else {
    it("embeddings: the provider's vectors, default (base64) and float encodings, one record each", async () => {
      const { key, client } = await clientFor(2);
      const inputs = [`first text for ${kind}`, "second"];
      const decoded = await client.embeddings.create({ model: target().name, input: inputs });
      expect(decoded.data.map((d) => d.index)).toEqual([0, 1]);
      inputs.forEach((text, i) => expect(Array.from(decoded.data[i]!.embedding)).toEqual(fakeEmbedding(text)));
      const floats = await client.embeddings.create({
        model: target().name,
        input: inputs[0]!,
        encoding_format: "float",
        dimensions: 4,
      });
      expect(floats.data[0]!.embedding).toEqual(fakeEmbedding(inputs[0]!, 4));
      if (wire(kind) === "gemini") {
        // Gemini reports no usage: counted with the tokenizer and flagged estimated.
        const counted = (texts: string[]) => texts.reduce((sum, t) => sum + countTokens(t), 0);
        expect(decoded.usage.prompt_tokens).toBe(counted(inputs));
        await expectRecords(key, target(), [
          { input: counted(inputs), output: 0, estimated: true },
          { input: counted([inputs[0]!]), output: 0, estimated: true },
        ]);
      } else {
        const tokens = (texts: string[]) => texts.reduce((sum, t) => sum + Math.ceil(t.length / 4), 0);
        expect(decoded.usage.prompt_tokens).toBe(tokens(inputs));
        await expectRecords(key, target(), [
          { input: tokens(inputs), output: 0 },
          { input: tokens([inputs[0]!]), output: 0 },
        ]);
      }
    });

    it("embeddings: an explicit base64 encoding is answered in base64", async () => {
      const { client } = await clientFor(1);
      const text = `base64 text for ${kind}`;
      const answer = await client.embeddings.create({ model: target().name, input: text, encoding_format: "base64" });
      const encoded = answer.data[0]!.embedding as unknown;
      expect(typeof encoded).toBe("string");
      const bytes = Buffer.from(encoded as string, "base64");
      expect(Array.from(new Float32Array(bytes.buffer, bytes.byteOffset, bytes.byteLength / 4))).toEqual(
        fakeEmbedding(text),
      );
    });
  }

  if (passthrough(kind)) {
    it("a provider that reports no usage: counted with the tokenizer, flagged estimated, include_usage still answered once", async () => {
      const { key, client } = await clientFor(3);
      const prompt = `No usage from ${kind} [[fake:no-usage]]`;
      const messages = [{ role: "user" as const, content: prompt }];
      // The gateway's estimate: o200k tokens of each message plus OpenAI's framing (3 + 4 per message).
      const input = 3 + 4 + countTokens(prompt);
      const output = countTokens(REPLY);
      const answer = await client.chat.completions.create({ model: target().name, messages });
      expect(answer.choices[0]?.message.content).toBe(REPLY);
      const plain = await collect(
        await client.chat.completions.create({ model: target().name, messages, stream: true }),
      );
      expect(plain.text).toBe(REPLY);
      expect(plain.usageChunks).toHaveLength(0);
      const asked = await collect(
        await client.chat.completions.create({
          model: target().name,
          messages,
          stream: true,
          stream_options: { include_usage: true },
        }),
      );
      expect(asked.text).toBe(REPLY);
      expect(asked.usageChunks).toHaveLength(1);
      expect(asked.usageChunks[0]!.usage).toMatchObject({ prompt_tokens: input, completion_tokens: output });
      await expectRecords(key, target(), [
        { input, output, estimated: true },
        { input, output, estimated: true },
        { input, output, estimated: true },
      ]);
    });
  }
});

describe("openai SDK: an Ollama provider without a key", () => {
  it("is called on Ollama's OpenAI endpoint (/v1/chat/completions under its base) with no key at all", async () => {
    const seeded = await seedProvider(admin, fake.url, "ollama", { apiKey: null, price: PRICE });
    const target: Target = {
      kind: "ollama",
      providerId: seeded.providerId,
      modelRowId: seeded.modelId,
      name: `${await providerSlug(seeded.providerId)}/fake-small`,
    };
    const { key, client } = await clientFor(1);
    const prompt = "Hello keyless Ollama";
    const answer = await client.chat.completions.create({
      model: target.name,
      messages: [{ role: "user", content: prompt }],
    });
    expect(answer.choices[0]?.message.content).toBe(REPLY);
    const received = lastRequest("openai.chat");
    expect(received.path).toBe("/v1/chat/completions");
    expect(received.headers).not.toHaveProperty("authorization");
    await expectRecords(key, target, [{ input: Math.ceil(prompt.length / 4), output: REPLY_WORDS }]);
    const row = (await gatewayUsageOf(key.id, 1))[0]!;
    expect(row.keyId).toBeNull();
  });
});

describe("openai SDK: models.list()", () => {
  it("lists exactly what the key may call", async () => {
    // After the chat tests above the gateway's catalog holds every provider seeded here.
    const enabled = await db.model.findMany({
      where: { enabled: true, provider: { enabled: true, archivedAt: null } },
      select: { modelId: true, provider: { select: { slug: true } } },
    });
    const all = enabled.map((m) => `${m.provider.slug}/${m.modelId}`).sort();
    const open = await clientFor(0);
    const listed = [];
    for await (const model of open.client.models.list()) listed.push(model);
    expect(listed.map((m) => m.id).sort()).toEqual(all);
    expect(listed.every((m) => m.object === "model")).toBe(true);

    const two = [targets.get("openai")!.name, targets.get("anthropic")!.name];
    // One record: its refused call below (a known model it may not call) is usage like any other.
    const restricted = await clientFor(1, { allowedModels: two });
    const page = await restricted.client.models.list();
    expect(page.data.map((m) => m.id).sort()).toEqual([...two].sort());

    // A bare model id allows that model at every provider offering it.
    const bare = await clientFor(0, { allowedModels: ["fake-small"] });
    const bareIds = (await bare.client.models.list()).data.map((m) => m.id).sort();
    expect(bareIds).toEqual(all.filter((name) => name.endsWith("/fake-small")));
    expect(bareIds.length).toBeGreaterThanOrEqual(PROVIDER_KIND_IDS.length);

    // And the restricted key is refused the others.
    const error = await restricted.client.chat.completions
      .create({ model: targets.get("google")!.name, messages: [{ role: "user", content: "hi" }] })
      .catch((e: unknown) => e);
    expect((error as InstanceType<typeof OpenAI.APIError>).status).toBe(403);
  });

  it("wrote exactly the records each request should, none late", async () => {
    for (const { key, count } of expectedRecords) {
      const rows = await db.usageRecord.findMany({ where: { gatewayKeyId: key.id } });
      expect(rows.length, `records of key ${key.id}`).toBe(count);
    }
  });
});
