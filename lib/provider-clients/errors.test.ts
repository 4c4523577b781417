import { describe, expect, test } from "vitest";

import {
  DETAIL_MAX_LENGTH,
  classifyHttpStatus,
  classifyThrown,
  detailFromBody,
  providerFailure,
  scrubMessage,
} from "@/lib/provider-clients/errors";

describe("classifyHttpStatus", () => {
  test.each([
    [401, "", "invalid_key"],
    [403, "", "invalid_key"],
    [429, '{"error":{"message":"Rate limit reached"}}', "rate_limited"],
    [429, '{"error":{"code":"insufficient_quota","message":"You exceeded your current quota"}}', "quota_exhausted"],
    [402, "", "quota_exhausted"],
    [400, '{"type":"error","error":{"message":"Your credit balance is too low"}}', "quota_exhausted"],
    [
      400,
      '{"error":{"message":"API key not valid. Please pass a valid API key.","status":"INVALID_ARGUMENT"}}',
      "invalid_key",
    ],
    [404, '{"error":{"message":"The model `gpt-9` does not exist","code":"model_not_found"}}', "model_not_found"],
    [404, '{"error":"model \\"llama9\\" not found, try pulling it first"}', "model_not_found"],
    [404, "Not Found", "bad_request"],
    [400, '{"error":{"message":"max_tokens must be positive"}}', "bad_request"],
    [422, "", "bad_request"],
    [500, "", "provider_error"],
    [529, '{"type":"error","error":{"type":"overloaded_error"}}', "provider_error"],
  ])("%i %s → %s", (status, body, expected) => {
    expect(classifyHttpStatus(status, body)).toBe(expected);
  });
});

describe("classifyThrown", () => {
  test("a timeout abort is a timeout", () => {
    expect(classifyThrown(new DOMException("The operation was aborted due to timeout", "TimeoutError"))).toBe(
      "timeout",
    );
  });

  test("fetch failures are network errors, looking through the cause", () => {
    const refused = Object.assign(new Error("connect ECONNREFUSED 127.0.0.1:1"), { code: "ECONNREFUSED" });
    expect(classifyThrown(new TypeError("fetch failed", { cause: refused }))).toBe("network");
    const dns = Object.assign(new Error("getaddrinfo ENOTFOUND api.example"), { code: "ENOTFOUND" });
    expect(classifyThrown(new TypeError("fetch failed", { cause: dns }))).toBe("network");
    expect(classifyThrown(new TypeError("terminated"))).toBe("network");
  });

  test("bad JSON is a malformed response; anything else a provider error", () => {
    expect(classifyThrown(new SyntaxError("Unexpected end of JSON input"))).toBe("malformed_response");
    expect(classifyThrown(new Error("something odd"))).toBe("provider_error");
  });
});

describe("detailFromBody", () => {
  test("reads each wire format's error message", () => {
    expect(detailFromBody('{"error":{"message":"openai says"}}')).toBe("openai says");
    expect(detailFromBody('{"type":"error","error":{"type":"x","message":"anthropic says"}}')).toBe("anthropic says");
    expect(detailFromBody('[{"error":{"code":400,"message":"gemini says"}}]')).toBe("gemini says");
    expect(detailFromBody('{"error":"ollama says"}')).toBe("ollama says");
    expect(detailFromBody("<html>Bad gateway</html>")).toBe("<html>Bad gateway</html>");
    expect(detailFromBody("  ")).toBeUndefined();
  });
});

describe("scrubbing", () => {
  test("the key is removed wherever it appears, including URLs and key shapes the caller did not pass", () => {
    const key = "my-custom-key-0123456789";
    const text = `Incorrect API key provided: ${key}. GET https://x.example/v1beta/models?key=${key} sk-proj-abcdefghijk AIzaSyA0123456789012345678901`;
    const scrubbed = scrubMessage(text, key);
    expect(scrubbed).not.toContain(key);
    expect(scrubbed).not.toContain("sk-proj-abcdefghijk");
    expect(scrubbed).not.toContain("AIzaSy");
    expect(scrubbed).toContain("[redacted]");
  });

  test("failures carry the classified explanation, with the provider's words only as a redacted excerpt", () => {
    const failure = providerFailure(
      "invalid_key",
      { upstream: "Incorrect API key provided: secret-key-123" },
      "secret-key-123",
      401,
    );
    expect(failure).toEqual({
      ok: false,
      errorClass: "invalid_key",
      message: "The provider rejected the API key.",
      detail: "Incorrect API key provided: [redacted]",
      httpStatus: 401,
    });
  });

  test("the excerpt is redacted before it is cut, so a key across the cut leaves nothing behind", () => {
    const key = "custom-provider-key-ABCDEFGHIJKLMNOPQRSTUVWXYZ0123";
    for (let at = 100; at < 170; at += 3) {
      const body = `${"x".repeat(at)} ${key} trailing`;
      const failure = providerFailure("bad_request", { upstream: body }, key, 400);
      expect(failure.detail!.length).toBeLessThanOrEqual(DETAIL_MAX_LENGTH + 1);
      // No 4-character run of the key may survive in what is kept.
      for (let i = 0; i + 4 <= key.length; i += 1) expect(failure.detail).not.toContain(key.slice(i, i + 4));
    }
  });

  test("long messages are cut", () => {
    expect(scrubMessage("x".repeat(2000), undefined).length).toBeLessThanOrEqual(501);
  });
});
