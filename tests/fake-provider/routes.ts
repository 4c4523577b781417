import type { IncomingHttpHeaders } from "node:http";
import { anthropicFormat } from "./formats/anthropic";
import { geminiFormat } from "./formats/gemini";
import { ollamaFormat } from "./formats/ollama";
import { openaiFormat } from "./formats/openai";
import type { FakeWireFormat } from "./formats/types";

export type FakeRoute = {
  // Stable name for request counting, e.g. "openai.chat", "gemini.models".
  name: string;
  format: FakeWireFormat;
  op: "models" | "chat" | "embeddings";
  // Streaming decided by the path (Gemini); otherwise by the body.
  streamByPath?: boolean;
  // Model named in the path (Gemini model, Azure deployment).
  model?: string;
  // Gemini's streamGenerateContent without alt=sse answers one JSON array.
  jsonArrayStream?: boolean;
};

const route = (format: FakeWireFormat, op: FakeRoute["op"], extra: Partial<FakeRoute> = {}): FakeRoute => ({
  name: `${format.name}.${op}`,
  format,
  op,
  ...extra,
});

// Paths match by suffix so any prefix a real base URL carries (/v1, /openai/v1, /api/v1,
// /openai/deployments/{name}) reaches the same handler.
export function matchRoute(method: string, url: URL, headers: IncomingHttpHeaders): FakeRoute | undefined {
  const path = url.pathname.replace(/\/+$/, "");
  if (method === "GET" && path.endsWith("/api/tags")) return route(ollamaFormat, "models");
  if (method === "POST" && path.endsWith("/api/chat")) return route(ollamaFormat, "chat");

  const geminiEmbed = /\/v1(?:beta|alpha)?\/models\/([^/:]+):batchEmbedContents$/.exec(path);
  if (method === "POST" && geminiEmbed)
    return route(geminiFormat, "embeddings", { model: decodeURIComponent(geminiEmbed[1] ?? "") });
  if (method === "POST" && path.endsWith("/embeddings")) {
    const deployment = /\/deployments\/([^/]+)\/embeddings$/.exec(path)?.[1];
    return route(openaiFormat, "embeddings", deployment ? { model: decodeURIComponent(deployment) } : {});
  }

  const gemini = /\/v1(?:beta|alpha)?\/models\/([^/:]+):(generateContent|streamGenerateContent)$/.exec(path);
  if (method === "POST" && gemini) {
    const streaming = gemini[2] === "streamGenerateContent";
    return route(geminiFormat, "chat", {
      model: decodeURIComponent(gemini[1] ?? ""),
      streamByPath: streaming,
      jsonArrayStream: streaming && url.searchParams.get("alt") !== "sse",
    });
  }
  if (method === "GET" && /\/v1(beta|alpha)\/models$/.test(path)) return route(geminiFormat, "models");

  if (method === "POST" && path.endsWith("/messages")) return route(anthropicFormat, "chat");
  if (method === "POST" && path.endsWith("/chat/completions")) {
    const deployment = /\/deployments\/([^/]+)\/chat\/completions$/.exec(path)?.[1];
    return route(openaiFormat, "chat", deployment ? { model: decodeURIComponent(deployment) } : {});
  }
  if (method === "GET" && path.endsWith("/models")) {
    if (headers["anthropic-version"]) return route(anthropicFormat, "models");
    if (headers["x-goog-api-key"]) return route(geminiFormat, "models");
    return route(openaiFormat, "models");
  }
  return undefined;
}

function header(headers: IncomingHttpHeaders, name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value[0] : value;
}

// Where each format carries the key; Azure's `api-key` header is accepted on OpenAI routes.
export function extractKey(route: FakeRoute, url: URL, headers: IncomingHttpHeaders): string | undefined {
  const bearer = header(headers, "authorization")?.replace(/^Bearer\s+/i, "");
  switch (route.format.name) {
    case "openai":
      return bearer ?? header(headers, "api-key");
    case "anthropic":
      return header(headers, "x-api-key") ?? bearer;
    case "gemini":
      return header(headers, "x-goog-api-key") ?? url.searchParams.get("key") ?? undefined;
    case "ollama":
      return bearer;
  }
}
