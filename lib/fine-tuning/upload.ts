import "server-only";
import type { Actor } from "@/lib/auth/session";
import { db } from "@/lib/db/client";
import { writeAudit } from "@/lib/audit/write-audit";
import { DomainError } from "@/lib/errors/domain-error";
import { fineTuningProvider, openFileUpload } from "@/lib/fine-tuning/openai-client";
import { iterateStream, MIN_EXAMPLES, validateTrainingStream, type ValidationReport } from "@/lib/fine-tuning/validate";

// A training or validation file's way from the browser to the provider (docs/fine-tuning.md):
// first validated (POST /api/fine-tuning/validate: read, checked, counted and hashed; nothing is
// sent anywhere), then uploaded (POST /api/fine-tuning/files): the body is validated again while
// each chunk is passed on to the provider's /files as it arrives; the closing multipart boundary
// is sent only once the whole file proved valid and its SHA-256 equals the validated one, otherwise
// the request is aborted and the provider never completes a file. Nothing is kept but the file's
// name, size, line and token counts, SHA-256 and the provider's file id.

export const MAX_UPLOAD_BYTES = 200 * 1024 * 1024;

export type Purpose = "training" | "validation";

const minExamples = (purpose: Purpose) => (purpose === "training" ? MIN_EXAMPLES : 1);

export async function validateUpload(
  body: ReadableStream<Uint8Array> | null,
  purpose: Purpose,
): Promise<ValidationReport> {
  if (!body) throw new DomainError("INVALID", "Send the file as the request body.");
  return validateTrainingStream(iterateStream(body), { maxBytes: MAX_UPLOAD_BYTES, minExamples: minExamples(purpose) });
}

export type StoredFile = {
  id: string;
  fileName: string;
  purpose: Purpose;
  bytes: number;
  lineCount: number;
  tokenCount: number;
  sha256: string;
  providerFileId: string;
};

export async function uploadFile(input: {
  actor: Actor;
  providerId: string;
  purpose: Purpose;
  fileName: string;
  sha256: string;
  body: ReadableStream<Uint8Array> | null;
  /** The request's Content-Length, when it declared one (the HTTP server holds the body to it). */
  declaredBytes?: number;
}): Promise<{ ok: true; file: StoredFile; report: ValidationReport } | { ok: false; report: ValidationReport }> {
  if (!input.body) throw new DomainError("INVALID", "Send the file as the request body.");
  const provider = await fineTuningProvider(input.providerId);
  const sink = await openFileUpload(provider, input.fileName, input.declaredBytes);
  let finished = false;
  try {
    async function* forwarded(source: AsyncIterable<Uint8Array>): AsyncGenerator<Uint8Array> {
      for await (const chunk of source) {
        await sink.write(chunk);
        yield chunk;
      }
    }
    const report = await validateTrainingStream(forwarded(iterateStream(input.body)), {
      maxBytes: MAX_UPLOAD_BYTES,
      minExamples: minExamples(input.purpose),
    });
    if (!report.ok) return { ok: false, report };
    if (report.sha256 !== input.sha256) {
      report.fileErrors.push("The file changed after it was validated: validate it again.");
      report.ok = false;
      return { ok: false, report };
    }
    const providerFile = await sink.finish();
    finished = true;
    const file = await db.$transaction(async (tx) => {
      const row = await tx.fineTuneFile.create({
        data: {
          providerId: provider.id,
          purpose: input.purpose === "training" ? "TRAINING" : "VALIDATION",
          fileName: input.fileName,
          bytes: report.bytes,
          lineCount: report.lines,
          tokenCount: report.tokens,
          sha256: report.sha256,
          providerFileId: providerFile.id,
          createdById: input.actor.id,
        },
      });
      await writeAudit(
        {
          actor: input.actor,
          action: "fine_tune.file_uploaded",
          targetType: "fine_tune_file",
          targetId: row.id,
          details: {
            providerId: provider.id,
            purpose: input.purpose,
            fileName: input.fileName,
            bytes: report.bytes,
            lines: report.lines,
            tokens: report.tokens,
            sha256: report.sha256,
            providerFileId: providerFile.id,
          },
        },
        tx,
      );
      return row;
    });
    return {
      ok: true,
      report,
      file: {
        id: file.id,
        fileName: file.fileName,
        purpose: input.purpose,
        bytes: file.bytes,
        lineCount: file.lineCount,
        tokenCount: file.tokenCount,
        sha256: file.sha256,
        providerFileId: file.providerFileId,
      },
    };
  } finally {
    if (!finished) await sink.abort("not uploaded");
  }
}
