import http, { type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import {
  behaviorSourceOfKey,
  describeBehavior,
  isAcceptedKey,
  modelMarkers,
  parseBehavior,
  promptMarkers,
} from "./behavior";
import { embeddingInputs, geminiEmbeddings, openaiEmbeddings } from "./formats/embeddings";
import { buildReply, collectText, numberField, readJsonBody, sendJson, toolToCall, wantsJson } from "./http-utils";
import { sendBody, sendError, sendJsonArrayStream, sendModelNotFound, streamReply } from "./respond";
import { extractKey, matchRoute } from "./routes";
import { createFineTuningState, handleFineTuning, matchFineTuningRoute, type FakeFineTuning } from "./fine-tuning";

export type FakeRequest = {
  method: string;
  path: string;
  route: string;
  model?: string;
  stream: boolean;
  behavior: string;
  at: number;
  // The headers received, with the provider key's value replaced by "[provider key]", so tests can
  // check what else reached the provider (a caller's own Authorization, cookies).
  headers: Record<string, string>;
  // The parsed JSON body ({} for GET or a body that is not JSON).
  body: Record<string, unknown>;
};

export type FakeProvider = {
  url: string;
  // Every request received, in order (keys are never recorded).
  requests: readonly FakeRequest[];
  count(route?: string): number;
  // OpenAI's fine-tuning API (fine-tuning.ts): the files received (byte count and SHA-256 only) and jobs.
  fineTuning: FakeFineTuning;
  reset(): void;
  close(): Promise<void>;
};

type Body = Record<string, unknown>;

function maxTokensOf(body: Body): number | undefined {
  const config =
    body.generationConfig && typeof body.generationConfig === "object" ? (body.generationConfig as Body) : {};
  const options = body.options && typeof body.options === "object" ? (body.options as Body) : {};
  return (
    numberField(body, "max_tokens", "max_completion_tokens") ??
    numberField(config, "maxOutputTokens") ??
    numberField(options, "num_predict")
  );
}

function wantsStream(body: Body, format: string): boolean {
  // Ollama streams unless told not to; the others only when asked.
  return format === "ollama" ? body.stream !== false : body.stream === true;
}

function includeUsage(body: Body): boolean {
  const options = body.stream_options;
  return Boolean(options && typeof options === "object" && (options as Body).include_usage === true);
}

export async function startFakeProvider(
  options: { port?: number; host?: string; fineTuneStepMs?: number } = {},
): Promise<FakeProvider> {
  const requests: FakeRequest[] = [];
  const attempts = new Map<string, number>();
  const fineTuning = createFineTuningState(
    options.fineTuneStepMs ?? (Number(process.env.FAKE_FINE_TUNE_STEP_MS) || 1000),
  );

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? "/", "http://fake.local");
    const method = req.method ?? "GET";
    const fineTune = matchFineTuningRoute(method, url.pathname);
    if (fineTune) {
      const key = req.headers.authorization?.replace(/^Bearer\s+/i, "") || undefined;
      requests.push({
        method,
        path: url.pathname,
        route: fineTune.name,
        stream: false,
        behavior: "",
        at: Date.now(),
        headers: Object.fromEntries(
          Object.entries(req.headers).map(([name, value]) => [
            name,
            name === "authorization" ? "[provider key]" : Array.isArray(value) ? value.join(", ") : (value ?? ""),
          ]),
        ),
        body: {},
      });
      if (!isAcceptedKey(key)) {
        req.resume();
        return sendJson(res, 401, { error: { message: "Incorrect API key provided.", type: "invalid_request_error" } });
      }
      return handleFineTuning(fineTuning, fineTune, req, res, url);
    }
    const route = matchRoute(method, url, req.headers);
    if (!route) {
      sendJson(res, 404, {
        error: {
          message: `The fake provider has no route for ${method} ${url.pathname}.`,
          type: "invalid_request_error",
        },
      });
      return;
    }
    const body = method === "POST" ? await readJsonBody(req) : {};
    const model = route.model ?? (typeof body.model === "string" ? body.model : undefined);
    const key = extractKey(route, url, req.headers);
    const headerBehavior = req.headers["x-fake-behavior"];
    const behaviorText = [
      Array.isArray(headerBehavior) ? headerBehavior.join(" ") : headerBehavior,
      behaviorSourceOfKey(key),
      promptMarkers(collectText(body).join("\n")),
      modelMarkers(model),
    ]
      .filter(Boolean)
      .join(" ");
    const behavior = parseBehavior([behaviorText]);
    const redact = (value: string) => (key && key.length >= 4 ? value.split(key).join("[provider key]") : value);
    const headers = Object.fromEntries(
      Object.entries(req.headers).map(([name, value]) => [
        name,
        redact(Array.isArray(value) ? value.join(", ") : (value ?? "")),
      ]),
    );
    const stream = route.op === "chat" && (route.streamByPath ?? wantsStream(body, route.format.name));
    requests.push({
      method,
      path: url.pathname,
      route: route.name,
      model,
      stream,
      behavior: describeBehavior(behavior),
      at: Date.now(),
      headers,
      body,
    });

    const attemptKey = `${key ?? ""}|${route.name}|${behaviorText}`;
    const attempt = (attempts.get(attemptKey) ?? 0) + 1;
    attempts.set(attemptKey, attempt);

    if (behavior.reset) return void req.socket.destroy();
    if (behavior.hang) return;
    // Ollama (native and its OpenAI-compatible /v1) and local OpenAI-compatible servers take no
    // key: an OpenAI-format request without any is answered; a wrong key is still refused.
    const keyless = route.format.name === "ollama" || (route.format.name === "openai" && key === undefined);
    if (!keyless && !isAcceptedKey(key)) {
      // Gemini answers a wrong key with 400 API_KEY_INVALID, like the real service.
      if (route.format.name === "gemini") {
        const message = `API key not valid. Please pass a valid API key. (${url.pathname}?key=${key ?? ""})`;
        const details = [
          { "@type": "type.googleapis.com/google.rpc.ErrorInfo", reason: "API_KEY_INVALID", domain: "googleapis.com" },
        ];
        return sendJson(res, 400, { error: { code: 400, message, status: "INVALID_ARGUMENT", details } });
      }
      return sendError(res, route.format, 401, behavior, key);
    }
    if (behavior.status && (behavior.failTimes === undefined || attempt <= behavior.failTimes)) {
      return sendError(res, route.format, behavior.status, behavior, key);
    }
    if (route.op === "models") return sendBody(res, route.format.models(), behavior);
    if (model?.includes("missing")) return sendModelNotFound(res, route.format, model);
    if (route.op === "embeddings") {
      if (route.format.name === "gemini") return sendBody(res, geminiEmbeddings(body), behavior);
      if (!embeddingInputs(body.input)) {
        const message = "'input' must be a string, an array of strings or an array of token arrays.";
        return sendJson(res, 400, route.format.error(400, "bad_request", message));
      }
      return sendBody(res, openaiEmbeddings(body, model ?? "fake-embed", behavior.noUsage), behavior);
    }

    const prompt = collectText(body).join("\n");
    const reply = buildReply(model ?? "fake-small", prompt, maxTokensOf(body), includeUsage(body), {
      omitUsage: behavior.noUsage && route.format.name === "openai",
      toolName: toolToCall(body),
      json: wantsJson(body),
    });
    if (route.jsonArrayStream) return sendJsonArrayStream(res, route.format, reply, behavior);
    if (stream) return streamReply(res, route.format, reply, behavior);
    return sendBody(res, route.format.completion(reply), behavior);
  }

  const server = http.createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      if (!res.headersSent) sendJson(res, 500, { error: { message: `fake provider failure: ${String(error)}` } });
      else res.destroy();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, options.host ?? "127.0.0.1", () => resolve());
  });
  const address = server.address() as AddressInfo;
  const host = address.family === "IPv6" ? `[${address.address}]` : address.address;

  return {
    url: `http://${host}:${address.port}`,
    requests,
    count: (name) => (name ? requests.filter((r) => r.route === name || r.path === name).length : requests.length),
    fineTuning,
    reset: () => {
      requests.length = 0;
      attempts.clear();
    },
    close: () =>
      new Promise<void>((resolve) => {
        // Hanging and stalled requests keep sockets open; end them so close() returns.
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

// Base URL to register for a provider kind when pointing it at the fake.
export function fakeBaseUrl(url: string, kind: string): string {
  return ["anthropic", "google", "azure", "ollama"].includes(kind) ? url : `${url}/v1`;
}
