import { z } from "zod";
import { notFound } from "@/lib/errors/domain-error";
import { defineRoute } from "@/lib/http/define-route";
import { runResultsCsv } from "@/lib/evals/csv-export";
import { getRun } from "@/lib/evals/queries";
import { runIdSchema } from "@/lib/evals/schemas";

// GET /api/evals/runs/:id/export — a run's results as CSV, one row per case x target (evals:read).
export const dynamic = "force-dynamic";

export const GET = defineRoute({
  name: "evals.run-export",
  auth: { session: "evals:read" },
  params: z.object({ id: runIdSchema.shape.runId }),
  failureMessage: "The export failed.",
  handler: async ({ params }) => {
    const run = await getRun(params.id);
    if (!run) throw notFound("Run");
    return new Response(runResultsCsv(run.targets, run.scorers, run.rows), {
      headers: {
        "content-type": "text/csv; charset=utf-8",
        "content-disposition": `attachment; filename="evaluation-${run.id}.csv"`,
        "cache-control": "no-store",
      },
    });
  },
});
