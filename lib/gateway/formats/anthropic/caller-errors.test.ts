import { describe, expect, it } from "vitest";
import { gatewayError, upstreamError } from "../openai/errors";
import { fromAnthropicError } from "./response";
import { anthropicErrorType, toAnthropicErrorBody } from "./caller-errors";

describe("toAnthropicErrorBody", () => {
  it.each([
    [400, "invalid_request_error"],
    [401, "authentication_error"],
    [403, "permission_error"],
    [404, "not_found_error"],
    [413, "request_too_large"],
    [429, "rate_limit_error"],
    [502, "api_error"],
    [503, "overloaded_error"],
    [504, "timeout_error"],
    [422, "invalid_request_error"],
  ])("a gateway %i is an Anthropic %s", (status, type) => {
    expect(anthropicErrorType(status)).toBe(type);
  });

  it("keeps the gateway's message in Anthropic's shape", () => {
    const error = gatewayError(429, "rate_limit_error", "Monthly budget of this key is spent", "budget_exceeded");
    expect(toAnthropicErrorBody(error)).toEqual({
      type: "error",
      error: { type: "rate_limit_error", message: "Monthly budget of this key is spent" },
    });
  });

  it("gives an upstream Anthropic error back to a native caller with its class intact", () => {
    const upstream = fromAnthropicError(529, {
      type: "error",
      error: { type: "overloaded_error", message: "Overloaded" },
    });
    expect(toAnthropicErrorBody(upstream).error).toEqual({
      type: "overloaded_error",
      message: "anthropic: Overloaded",
    });
    expect(toAnthropicErrorBody(upstreamError("upstream_auth", "anthropic", "invalid x-api-key")).error.type).toBe(
      "api_error",
    );
  });
});
