import { NextResponse } from "next/server";
import { routeErrorResponse } from "@/lib/http/route-error";
import { requireCapability } from "@/lib/auth/session";
import { zodFieldErrors } from "@/lib/errors/field-errors";
import { getTestRunProgress } from "@/lib/health-checks/queries";
import { testRunIdSchema } from "@/lib/test-calls/schemas";
import { apiRoute } from "@/lib/http/api-route";

// GET /api/test-runs/:id — a run's progress and per-provider results, polled by the health-checks
// page while the run is live. Read from PostgreSQL, so any instance can answer.
export const dynamic = "force-dynamic";

async function handleGet(_request: Request, { params }: RouteContext<"/api/test-runs/[id]">) {
  try {
    await requireCapability("providers:read");
    const parsed = testRunIdSchema.safeParse({ runId: (await params).id });
    if (!parsed.success) return NextResponse.json({ ok: false, message: "Unknown run.", fieldErrors: zodFieldErrors(parsed.error) }, { status: 400 });
    const progress = await getTestRunProgress(parsed.data.runId);
    if (!progress) return NextResponse.json({ ok: false, message: "Run was not found." }, { status: 404 });
    return NextResponse.json({ ok: true, ...progress }, { headers: { "cache-control": "no-store" } });
  } catch (error) {
    return routeErrorResponse(error, { log: "test run progress failed", message: "Could not read the run." });
  }
}

export const GET = apiRoute(handleGet);
