import { NextResponse } from "next/server";
import { requireCapability } from "@/lib/auth/session";
import { DomainError, HTTP_STATUS } from "@/lib/actions/result";
import { databaseUnavailableResponse, isDatabaseUnavailable } from "@/lib/db/unavailable";
import { parseSpendParams } from "@/lib/usage/spend-params";
import { spendCsv } from "@/lib/usage/csv-exports";
import { logger } from "@/lib/log/logger";

// GET /api/usage/spend?<the spend page's query> — the chart's numbers as CSV.
export const dynamic = "force-dynamic";

export async function GET(request: Request) {
  try {
    await requireCapability("spend:read");
    const params = parseSpendParams(Object.fromEntries(new URL(request.url).searchParams));
    const csv = await spendCsv(params);
    return new Response(csv, {
      headers: {
        "content-type": "text/csv; charset=utf-8",
        "content-disposition": `attachment; filename="spend-${params.by}-${params.period}-${params.from}-to-${params.to}.csv"`,
        "cache-control": "no-store",
      },
    });
  } catch (error) {
    if (error instanceof DomainError) return NextResponse.json({ ok: false, message: error.message }, { status: HTTP_STATUS[error.code] });
    if (isDatabaseUnavailable(error)) return databaseUnavailableResponse();
    logger.error("spend export failed", { error });
    return NextResponse.json({ ok: false, message: "The export failed. The error was logged; try again." }, { status: 500 });
  }
}
