import { routeErrorResponse } from "@/lib/http/route-error";
import { requireCapability } from "@/lib/auth/session";
import { parseUsageLogParams, usageLogFilters } from "@/lib/usage/usage-log-params";
import { rawRecordsCsvStream } from "@/lib/usage/csv-exports";
import { apiRoute } from "@/lib/http/api-route";

// GET /api/usage/records?from=&to=&provider=&model=&key=&tag=&status=&source= — raw usage
// records as a streamed CSV, newest first (the usage log's filters and order).
export const dynamic = "force-dynamic";

async function handleGet(request: Request) {
  try {
    await requireCapability("usage:read");
    const params = parseUsageLogParams(Object.fromEntries(new URL(request.url).searchParams));
    return new Response(rawRecordsCsvStream(usageLogFilters(params)), {
      headers: {
        "content-type": "text/csv; charset=utf-8",
        "content-disposition": `attachment; filename="usage-records-${params.from}-to-${params.to}.csv"`,
        "cache-control": "no-store",
      },
    });
  } catch (error) {
    return routeErrorResponse(error, { log: "records export failed", message: "The export failed." });
  }
}

export const GET = apiRoute(handleGet);
