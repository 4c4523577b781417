import { NextResponse } from "next/server";
import { defineRoute } from "@/lib/http/define-route";
import { routeError } from "@/lib/http/route-error";
import { uploadQuerySchema } from "@/lib/fine-tuning/schemas";
import { MAX_UPLOAD_BYTES, uploadFile } from "@/lib/fine-tuning/upload";

// POST /api/fine-tuning/files?providerId&purpose&fileName&sha256 — the validated file as the raw
// body, streamed on to the provider's /files while it is validated again; the provider's file
// completes only when the whole file is valid and has the validated SHA-256. Only the file's name,
// size, counts, hash and the provider's file id are kept (lib/fine-tuning/upload.ts).
export const dynamic = "force-dynamic";

function declaredLength(request: Request): number | undefined {
  const value = request.headers.get("content-length");
  return value !== null && /^\d{1,12}$/.test(value) ? Number(value) : undefined;
}

export const POST = defineRoute({
  name: "fineTuning.uploadFile",
  auth: { session: "fine-tuning:write" },
  query: uploadQuerySchema,
  streamBody: {
    mediaTypes: ["application/octet-stream", "application/jsonl", "application/x-ndjson"],
    maxBytes: MAX_UPLOAD_BYTES,
  },
  tooLargeHint: "split the file (200 MB at most)",
  failureMessage: "The file could not be uploaded.",
  handler: async ({ request, query, actor }) => {
    if (!query.sha256) return routeError(400, "Validate the file first.", { sha256: ["Validate the file first."] });
    const result = await uploadFile({
      actor,
      providerId: query.providerId,
      purpose: query.purpose,
      fileName: query.fileName,
      sha256: query.sha256,
      body: request.body,
      declaredBytes: declaredLength(request),
    });
    if (!result.ok)
      return NextResponse.json(
        { ok: false, message: "The file was not uploaded: fix the errors listed.", report: result.report },
        { status: 422 },
      );
    return NextResponse.json(
      { ok: true, file: result.file, report: result.report },
      { headers: { "cache-control": "no-store" } },
    );
  },
});
