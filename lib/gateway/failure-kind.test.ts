import { describe, expect, it } from "vitest";
import { backoffMs, failureKind } from "@/lib/gateway/failure-kind";
import { gatewayError, invalidRequest, upstreamError } from "@/lib/gateway/formats";

describe("failureKind", () => {
  it("falls back on rate limits, 5xx, overload, timeouts", () => {
    expect(failureKind(upstreamError("rate_limited", "p", "slow down"))).toBe("retry");
    expect(failureKind(upstreamError("upstream_server", "p", "boom"))).toBe("retry");
    expect(failureKind(upstreamError("overloaded", "p", ""))).toBe("retry");
    expect(failureKind(upstreamError("timeout", "p", ""))).toBe("retry");
  });

  it("takes a refused key or an exhausted quota out of rotation", () => {
    expect(failureKind(upstreamError("upstream_auth", "p", "invalid api key"))).toBe("key");
    expect(
      failureKind(upstreamError("rate_limited", "p", "You exceeded your current quota, check your plan and billing")),
    ).toBe("key");
    expect(failureKind(upstreamError("rate_limited", "p", "x"), '{"error":{"code":"insufficient_quota"}}')).toBe("key");
  });

  it("never falls back on a bad request or a content refusal", () => {
    expect(failureKind(invalidRequest("messages[0].role is invalid"))).toBe("fatal");
    expect(failureKind(upstreamError("invalid_request", "p", "Your request was rejected by the content_filter"))).toBe(
      "fatal",
    );
  });

  it("sends a context-window overflow to a larger window", () => {
    expect(
      failureKind(upstreamError("invalid_request", "p", "This model's maximum context length is 8192 tokens")),
    ).toBe("context");
    expect(
      failureKind(upstreamError("invalid_request", "p", "prompt is too long: 250000 tokens > 200000 maximum")),
    ).toBe("context");
  });

  it("moves on at once when the target has no usable key", () => {
    expect(failureKind(gatewayError(502, "upstream_error", "no key", "provider_key_unavailable"))).toBe("next");
  });
});

describe("backoffMs", () => {
  it("doubles with jitter inside [base/2, 1.5 base]", () => {
    expect(backoffMs(0, null, () => 0)).toBe(50);
    expect(backoffMs(0, null, () => 1)).toBe(150);
    expect(backoffMs(3, null, () => 0.5)).toBe(800);
  });

  it("honours Retry-After", () => {
    expect(backoffMs(0, 2)).toBe(2000);
    expect(backoffMs(0, 0)).toBe(0);
  });
});
