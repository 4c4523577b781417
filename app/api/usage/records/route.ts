import { z } from "zod";
import { defineRoute } from "@/lib/http/define-route";
import { parseUsageLogParams, usageLogFilters } from "@/lib/usage/usage-log-params";
import { rawRecordsCsvStream } from "@/lib/usage/csv-exports";

// GET /api/usage/records?from=&to=&provider=&model=&key=&tag=&status=&source= — raw usage
// records as a streamed CSV, newest first (the usage log's filters and order).
export const dynamic = "force-dynamic";

export const GET = defineRoute({
  name: "usage.records-export",
  auth: { session: "usage:read" },
  // The usage log's own parser: an invalid value falls back to "no filter", as on the page.
  query: z.record(z.string(), z.string()).transform((search) => parseUsageLogParams(search)),
  failureMessage: "The export failed.",
  handler: ({ query: params }) =>
    new Response(rawRecordsCsvStream(usageLogFilters(params)), {
      headers: {
        "content-type": "text/csv; charset=utf-8",
        "content-disposition": `attachment; filename="usage-records-${params.from}-to-${params.to}.csv"`,
        "cache-control": "no-store",
      },
    }),
});
