import { NextResponse } from "next/server";
import { defineRoute } from "@/lib/http/define-route";
import { routeError } from "@/lib/http/route-error";
import { ingestBatch } from "@/lib/ingest/ingest-batch";
import { ingestBodySchema, MAX_BODY_BYTES } from "@/lib/ingest/schemas";
import { logger } from "@/lib/log/logger";
import { checkBudgetThresholdsSoon } from "@/lib/notifications/budget-thresholds";
import { classifyIngestFailure } from "@/lib/ingest/failure";

// POST /api/v1/usage — the ingestion API (openapi/usage-ingest.yaml). Authenticated by an ingest
// token, not a session: no browser sends one on its own, so no Origin check; JSON only.

export const dynamic = "force-dynamic";

export const POST = defineRoute({
  name: "usage.ingest",
  auth: { ingestToken: true },
  body: ingestBodySchema,
  maxBodyBytes: MAX_BODY_BYTES,
  tooLargeHint: "send fewer records per request",
  handler: async ({ body, tokenId }) => {
    try {
      const summary = await ingestBatch(body.records, tokenId);
      // Budget thresholds are announced as spend arrives, not only when someone opens a page.
      if (summary.created) checkBudgetThresholdsSoon();
      const message = `${summary.created} stored, ${summary.duplicates} duplicate, ${summary.errors} rejected.`;
      return NextResponse.json({ ok: summary.errors === 0, message, ...summary });
    } catch (error) {
      // Nothing of the batch was stored. 503 (retry) only for outages: a bug answers 500 (lib/ingest/failure.ts).
      const failure = classifyIngestFailure(error);
      if (failure.outage) logger.warn("usage ingestion: database unavailable", { error, records: body.records.length });
      else logger.error("usage ingestion failed", { error, records: body.records.length });
      return routeError(failure.status, failure.message, undefined, failure.headers);
    }
  },
});
