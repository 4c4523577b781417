import { afterAll, beforeAll, describe, expect, test } from "vitest";

import { startFakeProvider, type FakeProvider } from "@/tests/fake-provider/server";

// The fake itself: the controls other tests and the e2e suite rely on.
let fake: FakeProvider;
beforeAll(async () => {
  fake = await startFakeProvider();
});
afterAll(async () => {
  await fake.close();
});

const chat = (headers: Record<string, string>, body: Record<string, unknown>) =>
  fetch(`${fake.url}/v1/chat/completions`, {
    method: "POST",
    headers: { "content-type": "application/json", authorization: "Bearer sk-fake-x", ...headers },
    body: JSON.stringify({ model: "fake-small", messages: [{ role: "user", content: "hi" }], ...body }),
  });

describe("fake provider", () => {
  test("the x-fake-behavior header steers one request", async () => {
    const limited = await chat({ "x-fake-behavior": "429 retry-after-7" }, {});
    expect(limited.status).toBe(429);
    expect(limited.headers.get("retry-after")).toBe("7");
    expect((await chat({}, {})).status).toBe(200);
  });

  test("a behaviour in the model id steers the request; xN fails only N times", async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 3; i += 1) {
      const response = await chat({}, { model: "gpt-fake-500x2" });
      statuses.push(response.status);
      await response.text();
    }
    expect(statuses).toEqual([500, 500, 200]);
  });

  test("requests are counted per route and never record the key", async () => {
    fake.reset();
    await (await chat({}, {})).text();
    await (await fetch(`${fake.url}/api/tags`)).text();
    expect(fake.count("openai.chat")).toBe(1);
    expect(fake.count("ollama.models")).toBe(1);
    expect(fake.count()).toBe(2);
    expect(JSON.stringify(fake.requests)).not.toContain("sk-fake-x");
  });

  test("non-streaming answers carry usage in each format", async () => {
    const openai = (await (await chat({}, { max_tokens: 3 })).json()) as {
      usage: { completion_tokens: number };
      choices: { message: { content: string } }[];
    };
    expect(openai.usage.completion_tokens).toBe(3);
    expect(openai.choices[0]?.message.content).toBe("Hello from the");

    const ollama = (await (
      await fetch(`${fake.url}/api/chat`, {
        method: "POST",
        body: JSON.stringify({ model: "m", stream: false, messages: [{ role: "user", content: "hi" }] }),
      })
    ).json()) as { done: boolean; eval_count: number; prompt_eval_count: number };
    expect(ollama).toMatchObject({ done: true, eval_count: 11, prompt_eval_count: 1 });

    const gemini = await fetch(`${fake.url}/v1beta/models/fake-small:streamGenerateContent`, {
      method: "POST",
      headers: { "x-goog-api-key": "sk-fake-x" },
      body: JSON.stringify({ contents: [{ role: "user", parts: [{ text: "hi" }] }] }),
    });
    const chunks = (await gemini.json()) as { usageMetadata?: { candidatesTokenCount: number } }[];
    expect(chunks.at(-1)?.usageMetadata?.candidatesTokenCount).toBe(11);
  });

  test("close() returns even while a request hangs", async () => {
    const other = await startFakeProvider();
    const hanging = fetch(`${other.url}/v1/models`, { headers: { authorization: "Bearer fake-hang" } }).catch(
      (error: unknown) => error,
    );
    await new Promise((resolve) => setTimeout(resolve, 50));
    const started = Date.now();
    await other.close();
    expect(Date.now() - started).toBeLessThan(1_000);
    expect(await hanging).toBeInstanceOf(Error);
  });
});
