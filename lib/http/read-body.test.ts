import { describe, expect, it } from "vitest";
import { readJsonBody } from "./read-body";

function streamed(parts: string[]): Request {
  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      for (const part of parts) controller.enqueue(new TextEncoder().encode(part));
      controller.close();
    },
  });
  return new Request("http://localhost/api/v1/usage", { method: "POST", body, duplex: "half" } as RequestInit);
}

describe("reading a capped JSON body", () => {
  it("parses a body under the cap", async () => {
    expect(await readJsonBody(streamed(['{"records":', "[]}"]), 100)).toEqual({ ok: true, value: { records: [] } });
  });

  it("refuses a declared Content-Length over the cap without reading", async () => {
    const request = new Request("http://localhost/x", {
      method: "POST",
      body: "{}",
      headers: { "content-length": "5000" },
    });
    expect(await readJsonBody(request, 100)).toMatchObject({ ok: false, status: 413 });
  });

  it("refuses a streamed body that grows past the cap", async () => {
    expect(await readJsonBody(streamed(["x".repeat(60), "x".repeat(60)]), 100)).toMatchObject({
      ok: false,
      status: 413,
    });
  });

  it("answers 400 for malformed JSON", async () => {
    expect(await readJsonBody(streamed(["{nope"]), 100)).toMatchObject({ ok: false, status: 400 });
  });
});
