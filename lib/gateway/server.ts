import "server-only";
import http, { type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { handleChat } from "@/lib/gateway/chat";
import { startCatalogRefresh, stopCatalogRefresh } from "@/lib/gateway/catalog-cache";
import { handleEmbeddings } from "@/lib/gateway/embeddings";
import { gatewayError, type GatewayError } from "@/lib/gateway/formats";
import {
  BodyTooLargeError,
  MAX_BODY_BYTES,
  readBody,
  sendError,
  sendJson,
  type ErrorShape,
} from "@/lib/gateway/http-io";
import { startKeyRefresh, stopKeyRefresh } from "@/lib/gateway/key-cache";
import { startCooldownRefresh, stopCooldownRefresh } from "@/lib/gateway/cooldowns";
import { handleMessages } from "@/lib/gateway/messages";
import { handleModels } from "@/lib/gateway/models-list";
import { authenticate, isRefusal } from "@/lib/gateway/pipeline";
import { redisLimiter } from "@/lib/gateway/redis-limits";
import { closeUpstream } from "@/lib/gateway/upstream";
import { closeAdmissionPool } from "@/lib/gateway/admission-pool";
import { allowanceStats, returnAllowances } from "@/lib/gateway/allowances";
import { closeResponseCache } from "@/lib/gateway/response-cache";
import { startUsageWriter, stopUsageWriter, usageWriterStats } from "@/lib/gateway/usage-writer";
import { logger } from "@/lib/log/logger";

// The gateway is a plain node:http server, not a Next.js route: a route handler costs 4–10 ms of
// CPU per request, over the whole latency budget (docs/gateway.md). It shares lib/ with the console
// (the same catalog, key vault, usage writer and error classes) and starts with it (npm start).

type Route = {
  method: "GET" | "POST";
  shape: ErrorShape;
  handle: (
    req: IncomingMessage,
    res: ServerResponse,
    body: string,
    auth: Parameters<typeof handleChat>[3],
  ) => Promise<void>;
};

const ROUTES: Record<string, Route> = {
  "/v1/chat/completions": { method: "POST", shape: "openai", handle: handleChat },
  "/v1/embeddings": { method: "POST", shape: "openai", handle: handleEmbeddings },
  "/v1/messages": { method: "POST", shape: "anthropic", handle: handleMessages },
  "/v1/models": { method: "GET", shape: "openai", handle: (_req, res, _body, auth) => handleModels(res, auth) },
};

function unavailable(): GatewayError {
  return gatewayError(
    503,
    "server_error",
    "The gateway cannot reach its database right now; try again shortly.",
    "gateway_unavailable",
  );
}

function isDatabaseOutage(error: unknown): boolean {
  const code = error && typeof error === "object" && "code" in error ? String(error.code) : "";
  return (
    code === "ECONNREFUSED" ||
    code === "57P01" ||
    code === "57P03" ||
    code === "08006" ||
    code === "08001" ||
    /connect/i.test(String((error as Error)?.message ?? ""))
  );
}

let inFlight = 0;

async function serve(req: IncomingMessage, res: ServerResponse): Promise<void> {
  const path = (req.url ?? "/").split("?")[0]!.replace(/\/+$/, "") || "/";
  if (path === "/health" || path === "/v1/health")
    return sendJson(res, 200, { ok: true, pid: process.pid, usage: usageWriterStats(), admission: allowanceStats() });
  const route = Object.hasOwn(ROUTES, path) ? ROUTES[path] : undefined;
  if (!route) {
    req.resume();
    return sendError(
      res,
      gatewayError(404, "not_found_error", `No such endpoint: ${req.method} ${path.slice(0, 100)}`, "unknown_url"),
      "openai",
    );
  }
  if (req.method !== route.method) {
    req.resume();
    return sendError(
      res,
      gatewayError(405, "invalid_request_error", `Use ${route.method} for ${path}.`, "method_not_allowed"),
      route.shape,
      { allow: route.method },
    );
  }
  const auth = await authenticate(req);
  if (isRefusal(auth)) {
    req.resume();
    return sendError(res, auth.error, route.shape);
  }
  let body = "";
  if (route.method === "POST") {
    try {
      body = await readBody(req);
    } catch (error) {
      if (error instanceof BodyTooLargeError) {
        res.setHeader("connection", "close");
        return sendError(
          res,
          gatewayError(
            413,
            "invalid_request_error",
            `The request body is over ${MAX_BODY_BYTES} bytes.`,
            "request_too_large",
          ),
          route.shape,
        );
      }
      return;
    }
  }
  await route.handle(req, res, body, auth);
}

export function createGatewayServer(): http.Server {
  const server = http.createServer(
    { keepAliveTimeout: 65_000, requestTimeout: 0, headersTimeout: 60_000 },
    (req, res) => {
      inFlight += 1;
      res.once("close", () => {
        inFlight -= 1;
      });
      serve(req, res).catch((error: unknown) => {
        const outage = isDatabaseOutage(error);
        if (!outage) logger.error("gateway request failed", { error, path: req.url?.slice(0, 100) });
        const path = (req.url ?? "").split("?")[0];
        const shape: ErrorShape = path === "/v1/messages" ? "anthropic" : "openai";
        if (!res.headersSent)
          sendError(
            res,
            outage
              ? unavailable()
              : gatewayError(
                  500,
                  "server_error",
                  "The gateway failed unexpectedly; the error is logged.",
                  "internal_error",
                ),
            shape,
          );
        else res.end();
      });
    },
  );
  return server;
}

export type RunningGateway = { server: http.Server; port: number; stop: () => Promise<void> };

export async function startGateway(options: { port: number; host: string }): Promise<RunningGateway> {
  startCatalogRefresh();
  startKeyRefresh();
  startCooldownRefresh();
  startUsageWriter();
  const server = createGatewayServer();
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port, options.host, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  const stop = async () => {
    // Stop taking requests, let running ones finish (streams get up to 30 s), then write every record.
    server.close();
    server.closeIdleConnections();
    const until = Date.now() + 30_000;
    while (inFlight > 0 && Date.now() < until) await new Promise((resolve) => setTimeout(resolve, 50));
    server.closeAllConnections();
    stopCatalogRefresh();
    stopKeyRefresh();
    await stopCooldownRefresh();
    await stopUsageWriter();
    await returnAllowances().catch((error: unknown) => logger.warn("gateway holdings not returned", { error }));
    await closeUpstream().catch(() => undefined);
    await redisLimiter()?.close();
    await closeResponseCache();
    // After the usage writer and the holdings' return: they use admission's connections.
    await closeAdmissionPool().catch(() => undefined);
  };
  return { server, port, stop };
}
