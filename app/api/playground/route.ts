import { NextResponse } from "next/server";
import { routeErrorResponse } from "@/lib/http/route-error";
import { requireCapability } from "@/lib/auth/session";
import { zodFieldErrors } from "@/lib/errors/field-errors";
import { resolvePlaygroundTarget, streamPlaygroundCall } from "@/lib/playground/stream-call";
import { playgroundCallLimiter, releaseWhenDone } from "@/lib/playground/call-slots";
import { playgroundRequestSchema } from "@/lib/test-calls/schemas";
import { apiRoute } from "@/lib/http/api-route";

// POST /api/playground {providerId, modelId, keyId?, prompt, maxOutputTokens?} → NDJSON stream.
// ADMIN only: every call spends the organisation's tokens. Errors before the stream starts are
// the usual { ok, message, fieldErrors? } JSON.
export const dynamic = "force-dynamic";

const MAX_BODY_BYTES = 64 * 1024;

async function handlePost(request: Request) {
  try {
    const actor = await requireCapability("providers:write");
    const text = await request.text();
    if (text.length > MAX_BODY_BYTES) return NextResponse.json({ ok: false, message: "The request is too large." }, { status: 413 });
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      return NextResponse.json({ ok: false, message: "Send a JSON body." }, { status: 400 });
    }
    const parsed = playgroundRequestSchema.safeParse(body);
    if (!parsed.success) return NextResponse.json({ ok: false, message: "Check the highlighted fields.", fieldErrors: zodFieldErrors(parsed.error) }, { status: 400 });
    const target = await resolvePlaygroundTarget(parsed.data);
    const release = await playgroundCallLimiter.acquire(0);
    if (!release) return NextResponse.json({ ok: false, message: "Too many playground calls are running; try again when one has finished." }, { status: 429, headers: { "Retry-After": "5" } });
    return new Response(releaseWhenDone(streamPlaygroundCall(target, parsed.data, actor, request.signal), release), {
      headers: { "content-type": "application/x-ndjson; charset=utf-8", "cache-control": "no-store", "x-accel-buffering": "no" },
    });
  } catch (error) {
    return routeErrorResponse(error, { log: "playground request failed", message: "The request failed." });
  }
}

export const POST = apiRoute(handlePost);
