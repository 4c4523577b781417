import { NextResponse } from "next/server";
import { z } from "zod";
import { notFound } from "@/lib/errors/domain-error";
import { defineRoute } from "@/lib/http/define-route";
import { getTestRunProgress } from "@/lib/health-checks/queries";
import { testRunIdSchema } from "@/lib/test-calls/schemas";

// GET /api/test-runs/:id — a run's progress and per-provider results, polled by the health-checks
// page while the run is live. Read from PostgreSQL, so any instance can answer.
export const dynamic = "force-dynamic";

export const GET = defineRoute({
  name: "test-runs.progress",
  auth: { session: "providers:read" },
  params: z.object({ id: testRunIdSchema.shape.runId }),
  failureMessage: "Could not read the run.",
  handler: async ({ params }) => {
    const progress = await getTestRunProgress(params.id);
    if (!progress) throw notFound("Run");
    return NextResponse.json({ ok: true, ...progress }, { headers: { "cache-control": "no-store" } });
  },
});
