import "server-only";

import { withCallSlot } from "@/lib/provider-clients/call-limiter";
import {
  classifyHttpStatus,
  classifyThrown,
  describeThrown,
  detailFromBody,
  providerFailure,
  type ErrorClass,
} from "@/lib/provider-clients/errors";
import { authHeaders, kindProfile, modelsUrl } from "@/lib/provider-clients/wire-formats";

export type VerifyKeyInput = { kind: string; baseUrl: string; apiKey: string; timeoutMs?: number };

export type VerifyKeyResult =
  | { ok: true; latencyMs: number }
  | { ok: false; errorClass: ErrorClass; message: string; httpStatus?: number };

const DEFAULT_TIMEOUT_MS = 10_000;

// Listing models proves the key and the base URL work without spending tokens.
function looksLikeModelList(body: unknown): boolean {
  if (!body || typeof body !== "object") return false;
  const list = "data" in body ? body.data : "models" in body ? body.models : undefined;
  return Array.isArray(list);
}

/** Bounded by the process-wide provider-call limiter (call-limiter.ts). */
export async function verifyProviderKey(input: VerifyKeyInput): Promise<VerifyKeyResult> {
  return withCallSlot(() => verifyProviderKeyUnbounded(input));
}

async function verifyProviderKeyUnbounded(input: VerifyKeyInput): Promise<VerifyKeyResult> {
  const profile = kindProfile(input.kind);
  if (!profile) return providerFailure("bad_request", `Unknown provider kind "${input.kind}".`, input.apiKey);
  let url: string;
  try {
    url = new URL(modelsUrl(profile.wire, input.baseUrl)).toString();
  } catch {
    return providerFailure("bad_request", "The base URL is not a valid URL.", input.apiKey);
  }

  const started = performance.now();
  try {
    const response = await fetch(url, {
      method: "GET",
      headers: { accept: "application/json", ...authHeaders(profile, input.apiKey) },
      signal: AbortSignal.timeout(input.timeoutMs ?? DEFAULT_TIMEOUT_MS),
      // A redirect could carry the key to another host; report it instead of following it.
      redirect: "manual",
    });
    const text = await response.text();
    if (response.status >= 300 && response.status < 400) {
      return providerFailure("bad_request", "The provider answered with a redirect; check the base URL.", input.apiKey, response.status);
    }
    if (!response.ok) {
      return providerFailure(classifyHttpStatus(response.status, text), detailFromBody(text), input.apiKey, response.status);
    }
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      return providerFailure("malformed_response", "The model list was not JSON.", input.apiKey, response.status);
    }
    if (!looksLikeModelList(parsed)) {
      return providerFailure("malformed_response", "The model list had an unexpected shape.", input.apiKey, response.status);
    }
    return { ok: true, latencyMs: Math.round(performance.now() - started) };
  } catch (error) {
    const errorClass = classifyThrown(error);
    return providerFailure(errorClass, describeThrown(error), input.apiKey);
  }
}
