import "server-only";
import { withCallSlot } from "@/lib/provider-clients/call-limiter";
import { providerFailure, type ProviderFailure } from "@/lib/provider-clients/errors";
import { getProviderJson } from "@/lib/provider-clients/get-json";
import { authHeaders, kindProfile, modelsUrl, type WireFormat } from "@/lib/provider-clients/wire-formats";

export type ListedModel = { id: string; displayName?: string; contextWindow?: number };

export type ListModelsResult = { ok: true; models: ListedModel[] } | ProviderFailure;

type Row = Record<string, unknown>;

const text = (value: unknown) => (typeof value === "string" && value ? value : undefined);
const positive = (value: unknown) =>
  typeof value === "number" && Number.isFinite(value) && value > 0 ? value : undefined;

function model(id: string | undefined, displayName: unknown, contextWindow: unknown): ListedModel | undefined {
  if (!id) return undefined;
  const name = text(displayName);
  const window = positive(contextWindow);
  return { id, ...(name && name !== id ? { displayName: name } : {}), ...(window ? { contextWindow: window } : {}) };
}

// Each format lists models in its own shape; context windows come from whichever field the
// provider fills (OpenRouter/Together/Groq context_length or context_window, Gemini inputTokenLimit).
function parseModels(wire: WireFormat, body: unknown): ListedModel[] | undefined {
  if (!body || typeof body !== "object") return undefined;
  const list = "data" in body ? body.data : "models" in body ? body.models : undefined;
  if (!Array.isArray(list)) return undefined;
  const rows = list.filter((row): row is Row => Boolean(row) && typeof row === "object");
  const parsed = rows.map((row) => {
    switch (wire) {
      case "gemini":
        return model(text(row.name)?.replace(/^models\//, ""), row.displayName, row.inputTokenLimit);
      case "ollama":
        return model(text(row.name) ?? text(row.model), undefined, undefined);
      case "anthropic":
        return model(text(row.id), row.display_name, row.max_input_tokens);
      default:
        return model(
          text(row.id),
          row.name ?? row.display_name,
          row.context_length ?? row.context_window ?? row.max_model_len,
        );
    }
  });
  return parsed.filter((m): m is ListedModel => m !== undefined).sort((a, b) => a.id.localeCompare(b.id));
}

// For "Import models": the provider's own list, for the admin to pick from. One page of up to
// 1,000 models: OpenAI-style lists are not paged, Anthropic's and Gemini's are asked for their
// largest page. Bounded by the process-wide provider-call limiter (call-limiter.ts).
export async function listModels(input: {
  kind: string;
  baseUrl: string;
  apiKey: string;
  timeoutMs?: number;
}): Promise<ListModelsResult> {
  return withCallSlot(() => listModelsUnbounded(input));
}

async function listModelsUnbounded(input: {
  kind: string;
  baseUrl: string;
  apiKey: string;
  timeoutMs?: number;
}): Promise<ListModelsResult> {
  const profile = kindProfile(input.kind);
  if (!profile) return providerFailure("bad_request", { note: `Unknown provider kind "${input.kind}".` }, input.apiKey);
  // Anthropic (20 by default) and Gemini (50) page their lists: ask for their maximum page of 1,000.
  const page = profile.wire === "gemini" ? "?pageSize=1000" : profile.wire === "anthropic" ? "?limit=1000" : "";
  const url = `${modelsUrl(profile.wire, input.baseUrl)}${page}`;
  const result = await getProviderJson(url, authHeaders(profile, input.apiKey), {
    apiKey: input.apiKey,
    timeoutMs: input.timeoutMs ?? 15_000,
    what: "model list",
  });
  if (!result.ok) return result;
  const models = parseModels(profile.wire, result.body);
  if (!models)
    return providerFailure(
      "malformed_response",
      { note: "The model list had an unexpected shape." },
      input.apiKey,
      result.status,
    );
  return { ok: true, models };
}
