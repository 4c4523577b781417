import { defineRoute } from "@/lib/http/define-route";
import { routeError } from "@/lib/http/route-error";
import { resolvePlaygroundTarget, streamPlaygroundCall } from "@/lib/playground/stream-call";
import { playgroundCallLimiter, releaseWhenDone } from "@/lib/playground/call-slots";
import { playgroundRequestSchema } from "@/lib/test-calls/schemas";

// POST /api/playground {providerId, modelId, keyId?, prompt, maxOutputTokens?} → NDJSON stream.
// ADMIN only: every call spends the organisation's tokens. Errors before the stream starts are
// the usual { ok, message, fieldErrors? } JSON.
export const dynamic = "force-dynamic";

export const POST = defineRoute({
  name: "playground.call",
  auth: { session: "providers:write" },
  body: playgroundRequestSchema,
  handler: async ({ actor, body, request }) => {
    const target = await resolvePlaygroundTarget(body);
    const release = await playgroundCallLimiter.acquire(0);
    if (!release)
      return routeError(429, "Too many playground calls are running; try again when one has finished.", undefined, {
        "Retry-After": "5",
      });
    return new Response(releaseWhenDone(streamPlaygroundCall(target, body, actor, request.signal), release), {
      headers: {
        "content-type": "application/x-ndjson; charset=utf-8",
        "cache-control": "no-store",
        "x-accel-buffering": "no",
      },
    });
  },
});
