import "server-only";
import type { z } from "zod";
import { can, type Capability } from "@/lib/auth/roles";
import { currentActor, type Actor } from "@/lib/auth/session";
import { requestOriginAllowed, ORIGIN_REFUSED } from "@/lib/request/origin";
import { zodFieldErrors } from "@/lib/errors/field-errors";
import type { FieldErrors } from "@/lib/errors/domain-error";
import { authenticateIngestToken } from "@/lib/ingest/tokens";
import { logger } from "@/lib/log/logger";
import { apiRoute } from "@/lib/http/api-route";
import { readJsonBody } from "@/lib/http/read-body";
import { routeError, routeErrorResponse } from "@/lib/http/route-error";

// The pipeline every console route handler goes through, as server actions go through
// defineAction: who (session or ingest token) → capability → for state-changing methods the Origin
// (session routes only: a token is not sent by a browser on its own) and the content type → body
// size → zod → handler → one error shape, { ok: false, message, fieldErrors? }, with its status.

export type RouteAuth =
  /** A signed-in user whose role has this capability. */
  | { session: Capability }
  /** An ingest token (Authorization: Bearer pcu_…). */
  | { ingestToken: true }
  /** Anyone: only for what a load balancer or monitor reads (GET /api/health). */
  | { public: true };

type Who<A extends RouteAuth> = A extends { session: Capability }
  ? { actor: Actor }
  : A extends { ingestToken: true }
    ? { tokenId: string }
    : object;
type Parsed<S> = S extends z.ZodType ? z.output<S> : undefined;

export type RouteInput<A extends RouteAuth, B, Q, P> = Who<A> & {
  request: Request;
  body: Parsed<B>;
  query: Parsed<Q>;
  params: Parsed<P>;
};

export type RouteSpec<
  A extends RouteAuth,
  B extends z.ZodType | undefined,
  Q extends z.ZodType | undefined,
  P extends z.ZodType | undefined,
> = {
  /** A name for logs, e.g. "playground.call". */
  name: string;
  auth: A;
  /** The JSON body's schema; a route with a body accepts application/json only. */
  body?: B;
  /** Bytes; 64 KiB unless given. */
  maxBodyBytes?: number;
  /**
   * A body the handler reads itself as a stream (a fine-tuning file), instead of `body`: the
   * pipeline checks its media type and refuses a declared Content-Length above maxBytes (the
   * handler still counts what arrives: a chunked body declares none).
   */
  streamBody?: { mediaTypes: readonly string[]; maxBytes: number };
  /** What a 413 tells the client to do, e.g. "send fewer records per request". */
  tooLargeHint?: string;
  /** The query string (a flat record of its first values); a failure is a 400 with field errors. */
  query?: Q;
  /** The dynamic segments; a failure is a 400 with field errors. */
  params?: P;
  /** What an unexpected failure answers (logged in full, answered generically). */
  failureMessage?: string;
  handler: (context: RouteInput<A, B, Q, P>) => Promise<Response> | Response;
};

export const DEFAULT_MAX_BODY_BYTES = 64 * 1024;
const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

/** The media type without parameters ("application/json; charset=utf-8" → "application/json"). */
function mediaType(contentType: string | null): string {
  return (contentType ?? "").split(";")[0]!.trim().toLowerCase();
}

async function identify(
  auth: RouteAuth,
  request: Request,
): Promise<{ who: Record<string, unknown> } | { refused: Response }> {
  if ("session" in auth) {
    const actor = await currentActor();
    if (!actor) return { refused: routeError(401, "Your session has ended. Sign in again.") };
    if (!can(actor.role, auth.session)) return { refused: routeError(403, "Your role does not allow this action.") };
    return { who: { actor } };
  }
  if ("ingestToken" in auth) {
    const tokenId = await authenticateIngestToken(request.headers.get("authorization"));
    if (!tokenId)
      return {
        refused: routeError(401, "Send a valid ingest token: Authorization: Bearer pcu_…", undefined, {
          "WWW-Authenticate": 'Bearer realm="usage"',
        }),
      };
    return { who: { tokenId } };
  }
  return { who: {} };
}

function parseWith(
  schema: z.ZodType | undefined,
  value: unknown,
): { ok: true; value: unknown } | { ok: false; fieldErrors: FieldErrors } {
  if (!schema) return { ok: true, value: undefined };
  const parsed = schema.safeParse(value);
  return parsed.success ? { ok: true, value: parsed.data } : { ok: false, fieldErrors: zodFieldErrors(parsed.error) };
}

/** Runs the pipeline for one request; exported for tests that drive a spec without a route file. */
export async function executeRoute<
  A extends RouteAuth,
  B extends z.ZodType | undefined,
  Q extends z.ZodType | undefined,
  P extends z.ZodType | undefined,
>(
  spec: RouteSpec<A, B, Q, P>,
  request: Request,
  rawParams: Record<string, string | string[] | undefined> = {},
): Promise<Response> {
  try {
    const identified = await identify(spec.auth, request);
    if ("refused" in identified) return identified.refused;

    const stateChanging = !SAFE_METHODS.has(request.method.toUpperCase());
    // A session cookie rides along on any site's form or fetch, same-site other ports included;
    // a browser always sends Origin on a state-changing request, so a missing one is refused too.
    if (stateChanging && "session" in spec.auth && !requestOriginAllowed(request.headers)) {
      logger.warn("route refused: origin", { route: spec.name, origin: request.headers.get("origin")?.slice(0, 200) });
      return routeError(403, ORIGIN_REFUSED);
    }

    const params = parseWith(spec.params, rawParams);
    if (!params.ok) return routeError(400, "Check the address.", params.fieldErrors);
    const query = parseWith(spec.query, firstValues(new URL(request.url).searchParams));
    if (!query.ok) return routeError(400, "Check the query parameters.", query.fieldErrors);

    if (spec.streamBody) {
      if (!spec.streamBody.mediaTypes.includes(mediaType(request.headers.get("content-type"))))
        return routeError(415, `Send the body as ${spec.streamBody.mediaTypes.join(" or ")}.`);
      const declared = Number(request.headers.get("content-length") ?? "");
      if (Number.isFinite(declared) && declared > spec.streamBody.maxBytes)
        return routeError(
          413,
          `The body is larger than ${spec.streamBody.maxBytes} bytes: ${spec.tooLargeHint ?? "send a smaller one"}.`,
        );
    }

    let body: { ok: true; value: unknown } | { ok: false; fieldErrors: FieldErrors } = { ok: true, value: undefined };
    if (spec.body) {
      // text/plain, form and multipart bodies are what another site can send without a CORS
      // preflight: a JSON route reads nothing else.
      if (mediaType(request.headers.get("content-type")) !== "application/json") {
        return routeError(415, "Send the body as JSON (Content-Type: application/json).", undefined, {
          "Accept-Post": "application/json",
        });
      }
      const read = await readJsonBody(request, spec.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES, spec.tooLargeHint);
      if (!read.ok) return routeError(read.status, read.message);
      body = parseWith(spec.body, read.value);
      if (!body.ok) return routeError(400, "Check the highlighted fields.", body.fieldErrors);
    }

    return await spec.handler({
      ...identified.who,
      request,
      body: body.value,
      query: query.value,
      params: params.value,
    } as RouteInput<A, B, Q, P>);
  } catch (error) {
    return routeErrorResponse(error, {
      log: `route failed: ${spec.name}`,
      message: spec.failureMessage ?? "The request failed.",
    });
  }
}

// The first value of each parameter, as own properties (a "__proto__" key stays a plain key).
function firstValues(search: URLSearchParams): Record<string, string> {
  const seen = new Map<string, string>();
  for (const [key, value] of search) if (!seen.has(key)) seen.set(key, value);
  return Object.fromEntries(seen);
}

const pipelineRoutes = new WeakSet<object>();

/** True for a handler defineRoute built: a test holds every route file under app/api to it. */
export function isPipelineRoute(handler: unknown): boolean {
  return typeof handler === "function" && pipelineRoutes.has(handler);
}

/** A route handler (GET/POST/…) from a spec, with the request id apiRoute gives every handler. */
export function defineRoute<
  A extends RouteAuth,
  B extends z.ZodType | undefined = undefined,
  Q extends z.ZodType | undefined = undefined,
  P extends z.ZodType | undefined = undefined,
>(spec: RouteSpec<A, B, Q, P>) {
  const handler = apiRoute(
    async (request: Request, context?: { params?: Promise<Record<string, string | string[] | undefined>> }) =>
      executeRoute(spec, request, (await context?.params) ?? {}),
  );
  pipelineRoutes.add(handler);
  return handler;
}
