import { NextResponse } from "next/server";
import { defineRoute } from "@/lib/http/define-route";
import { fineTuningProvider } from "@/lib/fine-tuning/openai-client";
import { uploadQuerySchema } from "@/lib/fine-tuning/schemas";
import { MAX_UPLOAD_BYTES, validateUpload } from "@/lib/fine-tuning/upload";

// POST /api/fine-tuning/validate?providerId&purpose&fileName — the file as the raw body. Read as a
// stream, checked line by line, counted and hashed; nothing is stored or sent anywhere. The upload
// (POST /api/fine-tuning/files) follows with the SHA-256 answered here. docs/fine-tuning.md.
export const dynamic = "force-dynamic";

const FILE_MEDIA_TYPES = ["application/octet-stream", "application/jsonl", "application/x-ndjson"] as const;

export const POST = defineRoute({
  name: "fineTuning.validate",
  auth: { session: "fine-tuning:write" },
  query: uploadQuerySchema,
  streamBody: { mediaTypes: FILE_MEDIA_TYPES, maxBytes: MAX_UPLOAD_BYTES },
  tooLargeHint: "split the file (200 MB at most)",
  failureMessage: "The file could not be validated.",
  handler: async ({ request, query }) => {
    await fineTuningProvider(query.providerId);
    const report = await validateUpload(request.body, query.purpose);
    return NextResponse.json({ ok: true, report }, { headers: { "cache-control": "no-store" } });
  },
});
