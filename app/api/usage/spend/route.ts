import { routeErrorResponse } from "@/lib/http/route-error";
import { requireCapability } from "@/lib/auth/session";
import { parseSpendParams } from "@/lib/usage/spend-params";
import { spendCsv } from "@/lib/usage/csv-exports";
import { apiRoute } from "@/lib/http/api-route";

// GET /api/usage/spend?<the spend page's query> — the chart's numbers as CSV.
export const dynamic = "force-dynamic";

async function handleGet(request: Request) {
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
    return routeErrorResponse(error, { log: "spend export failed", message: "The export failed." });
  }
}

export const GET = apiRoute(handleGet);
