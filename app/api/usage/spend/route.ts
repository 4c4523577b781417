import { z } from "zod";
import { defineRoute } from "@/lib/http/define-route";
import { parseSpendParams } from "@/lib/usage/spend-params";
import { spendCsv } from "@/lib/usage/csv-exports";

// GET /api/usage/spend?<the spend page's query> — the chart's numbers as CSV.
export const dynamic = "force-dynamic";

export const GET = defineRoute({
  name: "usage.spend-export",
  auth: { session: "spend:read" },
  // The page's own parser: an invalid value falls back to its default, as on the page.
  query: z.record(z.string(), z.string()).transform((search) => parseSpendParams(search)),
  failureMessage: "The export failed.",
  handler: async ({ query: params }) => {
    const csv = await spendCsv(params);
    return new Response(csv, {
      headers: {
        "content-type": "text/csv; charset=utf-8",
        "content-disposition": `attachment; filename="spend-${params.by}-${params.period}-${params.from}-to-${params.to}.csv"`,
        "cache-control": "no-store",
      },
    });
  },
});
