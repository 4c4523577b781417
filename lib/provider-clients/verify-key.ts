import "server-only";

import { withCallSlot } from "@/lib/provider-clients/call-limiter";
import { providerFailure, type ErrorClass } from "@/lib/provider-clients/errors";
import { getProviderJson } from "@/lib/provider-clients/get-json";
import { authHeaders, kindProfile, modelsUrl } from "@/lib/provider-clients/wire-formats";

export type VerifyKeyInput = { kind: string; baseUrl: string; apiKey: string; timeoutMs?: number };

export type VerifyKeyResult =
  | { ok: true; latencyMs: number }
  | { ok: false; errorClass: ErrorClass; message: string; detail?: string; httpStatus?: number };
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
  if (!profile) return providerFailure("bad_request", { note: `Unknown provider kind "${input.kind}".` }, input.apiKey);
  const started = performance.now();
  const result = await getProviderJson(modelsUrl(profile.wire, input.baseUrl), authHeaders(profile, input.apiKey), {
    apiKey: input.apiKey,
    timeoutMs: input.timeoutMs ?? DEFAULT_TIMEOUT_MS,
    what: "model list",
  });
  if (!result.ok) return result;
  if (!looksLikeModelList(result.body)) {
    return providerFailure(
      "malformed_response",
      { note: "The model list had an unexpected shape." },
      input.apiKey,
      result.status,
    );
  }
  return { ok: true, latencyMs: Math.round(performance.now() - started) };
}
