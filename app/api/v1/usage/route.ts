import { NextResponse } from "next/server";
import { zodFieldErrors } from "@/lib/errors/field-errors";
import { authenticateIngestToken } from "@/lib/ingest/tokens";
import { ingestBatch } from "@/lib/ingest/ingest-batch";
import { ingestBodySchema, MAX_BODY_BYTES } from "@/lib/ingest/schemas";
import { readJsonBody } from "@/lib/http/read-body";
import { logger } from "@/lib/log/logger";
import { checkBudgetsSoon } from "@/lib/usage/budget-alerts";
import { DATABASE_UNAVAILABLE_MESSAGE, databaseUnavailableResponse, isDatabaseUnavailable } from "@/lib/db/unavailable";
import { apiRoute } from "@/lib/http/api-route";

// POST /api/v1/usage — the ingestion API (openapi/usage-ingest.yaml). Authenticated by an ingest
// token, not a session: the proxy lets /api/v1 through and this handler checks the token itself.

export const dynamic = "force-dynamic";

function fail(status: number, message: string, extra: Record<string, unknown> = {}, headers?: HeadersInit) {
  return NextResponse.json({ ok: false, message, ...extra }, { status, headers });
}

async function handlePost(request: Request) {
  let tokenId: string | null;
  try {
    tokenId = await authenticateIngestToken(request.headers.get("authorization"));
  } catch (error) {
    // The token lookup is the first query: during a database outage it is what fails.
    if (isDatabaseUnavailable(error)) return databaseUnavailableResponse();
    throw error;
  }
  if (!tokenId) return fail(401, "Send a valid ingest token: Authorization: Bearer pcu_…", {}, { "WWW-Authenticate": 'Bearer realm="usage"' });

  const body = await readJsonBody(request, MAX_BODY_BYTES, "send fewer records per request");
  if (!body.ok) return fail(body.status, body.message);
  const parsed = ingestBodySchema.safeParse(body.value);
  if (!parsed.success) return fail(400, "Check the request body.", { fieldErrors: zodFieldErrors(parsed.error) });

  try {
    const summary = await ingestBatch(parsed.data.records, tokenId);
    // Budget thresholds are announced as spend arrives, not only when someone opens a page.
    if (summary.created) checkBudgetsSoon();
    const message = `${summary.created} stored, ${summary.duplicates} duplicate, ${summary.errors} rejected.`;
    return NextResponse.json({ ok: summary.errors === 0, message, ...summary });
  } catch (error) {
    if (isDatabaseUnavailable(error)) {
      logger.warn("usage ingestion: database unavailable", { error, records: parsed.data.records.length });
      return fail(503, `${DATABASE_UNAVAILABLE_MESSAGE} Retry the batch: replays are safe.`, {}, { "Retry-After": "5" });
    }
    logger.error("usage ingestion failed", { error, records: parsed.data.records.length });
    return fail(503, "The batch could not be stored; nothing from it was saved. Retry it: replays are safe.");
  }
}

export const POST = apiRoute(handlePost);
