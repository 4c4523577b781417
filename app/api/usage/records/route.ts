import { NextResponse } from "next/server";
import { requireCapability } from "@/lib/auth/session";
import { DomainError, HTTP_STATUS } from "@/lib/actions/result";
import { databaseUnavailableResponse, isDatabaseUnavailable } from "@/lib/db/unavailable";
import { parseUsageLogParams, usageLogFilters } from "@/lib/usage/usage-log-params";
import { rawRecordsCsvStream } from "@/lib/usage/csv-exports";
import { logger } from "@/lib/log/logger";

// GET /api/usage/records?from=&to=&provider=&model=&key=&tag=&status=&source= — raw usage
// records as a streamed CSV, newest first (the usage log's filters and order).
export const dynamic = "force-dynamic";

export async function GET(request: Request) {
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
    if (error instanceof DomainError) return NextResponse.json({ ok: false, message: error.message }, { status: HTTP_STATUS[error.code] });
    if (isDatabaseUnavailable(error)) return databaseUnavailableResponse();
    logger.error("records export failed", { error });
    return NextResponse.json({ ok: false, message: "The export failed. The error was logged; try again." }, { status: 500 });
  }
}
