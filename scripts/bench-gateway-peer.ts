// The gateway benchmark's two helper servers, each run as its own process so the load generator,
// the upstream and the proxy do not share an event loop (scripts/bench-gateway.ts starts them):
//   upstream <port>: an OpenAI-style /v1/chat/completions that answers at once (JSON with usage,
//     or an SSE stream of several chunks and a usage chunk); a body naming "bench-drip" gets a
//     slow stream instead: one chunk every BENCH_DRIP_MS until POST /release (then it ends), so
//     the bench can hold many streams open at once however slowly they were admitted. GET /stats
//     counts answers, those carrying the provider key the gateway was given (BENCH_PROVIDER_KEY),
//     and open drip streams now and at the peak.
//   proxy <upstream origin>: a bare pass-through (node:http + an undici Pool, no auth, no
//     recording): the floor any gateway written the same way can reach.
// Each prints "listening <port>" when ready.
import http, { type IncomingMessage } from "node:http";
import type { AddressInfo } from "node:net";
import { Pool } from "undici";

const CONTENT = ["Hello", " from", " the", " bench", " upstream."];
const USAGE = { prompt_tokens: 12, completion_tokens: 8, total_tokens: 20 };

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => resolve(Buffer.concat(chunks)));
    req.on("error", reject);
  });
}

const chunk = (id: string, delta: object, finish: string | null = null) =>
  `data: ${JSON.stringify({ id, object: "chat.completion.chunk", created: 1, model: "bench-model", choices: [{ index: 0, delta, finish_reason: finish }] })}\n\n`;
const usageChunk = (id: string) =>
  `data: ${JSON.stringify({ id, object: "chat.completion.chunk", created: 1, model: "bench-model", choices: [], usage: USAGE })}\n\n`;

function upstream(port: number): http.Server {
  const providerKey = `Bearer ${process.env.BENCH_PROVIDER_KEY ?? ""}`;
  const dripMs = Number(process.env.BENCH_DRIP_MS ?? 100);
  const stats = { answered: 0, gatewayAnswered: 0, openDrips: 0, peakDrips: 0 };
  let released = false;
  let sequence = 0;
  const server = http.createServer({ keepAliveTimeout: 65_000 }, async (req, res) => {
    if (req.method === "GET" && req.url === "/stats") {
      res.writeHead(200, { "content-type": "application/json" });
      return res.end(JSON.stringify(stats));
    }
    if (req.method === "POST" && req.url === "/release") {
      released = true;
      return res.end();
    }
    const body = (await readBody(req)).toString();
    const fromGateway = req.headers.authorization === providerKey;
    res.once("finish", () => {
      stats.answered += 1;
      if (fromGateway) stats.gatewayAnswered += 1;
    });
    const id = `chatcmpl-${(sequence += 1)}`;
    if (!body.includes('"stream":true')) {
      const answer = JSON.stringify({
        id,
        object: "chat.completion",
        created: 1,
        model: "bench-model",
        choices: [
          {
            index: 0,
            message: { role: "assistant", content: CONTENT.join("") },
            finish_reason: "stop",
            logprobs: null,
          },
        ],
        usage: USAGE,
      });
      res.writeHead(200, { "content-type": "application/json", "content-length": Buffer.byteLength(answer) });
      return res.end(answer);
    }
    res.writeHead(200, { "content-type": "text/event-stream", "cache-control": "no-cache" });
    if (!body.includes("bench-drip")) {
      // Several writes, as a provider's chunks arrive, not one buffer.
      res.write(chunk(id, { role: "assistant", content: "" }));
      for (const text of CONTENT) res.write(chunk(id, { content: text }));
      res.write(chunk(id, {}, "stop"));
      res.write(usageChunk(id));
      return res.end("data: [DONE]\n\n");
    }
    stats.openDrips += 1;
    stats.peakDrips = Math.max(stats.peakDrips, stats.openDrips);
    let sent = 0;
    const timer = setInterval(() => {
      if (!released) {
        res.write(chunk(id, { content: ` word${sent}` }));
        sent += 1;
        return;
      }
      clearInterval(timer);
      res.write(chunk(id, {}, "stop"));
      res.write(usageChunk(id));
      res.end("data: [DONE]\n\n");
    }, dripMs);
    res.once("close", () => {
      clearInterval(timer);
      stats.openDrips -= 1;
    });
  });
  server.listen(port, "127.0.0.1");
  return server;
}

function proxy(upstreamOrigin: string): http.Server {
  const pool = new Pool(upstreamOrigin, {
    connections: 2048,
    keepAliveTimeout: 30_000,
    bodyTimeout: 0,
  });
  const server = http.createServer({ keepAliveTimeout: 65_000 }, async (req, res) => {
    try {
      const body = await readBody(req);
      const headers: Record<string, string> = { "content-type": String(req.headers["content-type"] ?? "") };
      if (req.headers.authorization) headers.authorization = req.headers.authorization;
      if (req.headers.accept) headers.accept = req.headers.accept;
      const answer = await pool.request({
        path: req.url ?? "/",
        method: req.method as "POST",
        headers,
        body: req.method === "GET" ? undefined : body,
      });
      const out: Record<string, string> = { "content-type": String(answer.headers["content-type"] ?? "") };
      if (answer.headers["content-length"]) out["content-length"] = String(answer.headers["content-length"]);
      res.writeHead(answer.statusCode, out);
      for await (const part of answer.body) res.write(part);
      res.end();
    } catch {
      if (!res.headersSent) res.writeHead(502);
      res.end();
    }
  });
  server.listen(0, "127.0.0.1");
  return server;
}

const [role, argument] = process.argv.slice(2);
const server = role === "upstream" ? upstream(Number(argument ?? 0)) : role === "proxy" ? proxy(argument!) : null;
if (!server) throw new Error("usage: bench-gateway-peer.ts upstream <port> | proxy <upstream origin>");
server.on("listening", () => process.stdout.write(`listening ${(server.address() as AddressInfo).port}\n`));
process.on("SIGTERM", () => process.exit(0));
