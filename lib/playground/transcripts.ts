import "server-only";
import type { Prisma } from "@/lib/generated/prisma/client";
import { db } from "@/lib/db/client";
import type { CallOutcome } from "@/lib/calls/outcome";

// Playground transcripts exist only while the admin has "store playground transcripts" on; the
// switch is read per call, so turning it off stops storage at once.

export async function saveTranscript(actorId: string, prompt: string, outcome: CallOutcome): Promise<void> {
  await db.playgroundTranscript.create({
    data: {
      actorId,
      providerId: outcome.providerId,
      modelId: outcome.modelId,
      modelName: outcome.modelName ?? "",
      prompt,
      answer: outcome.answer,
      ok: outcome.ok,
      errorClass: outcome.errorClass,
      latencyMs: outcome.latencyMs ?? 0,
      ttftMs: outcome.ttftMs,
      inputTokens: outcome.inputTokens,
      outputTokens: outcome.outputTokens,
      cost: outcome.cost,
    },
    select: { id: true },
  });
}

const transcriptSelect = {
  id: true,
  modelName: true,
  prompt: true,
  answer: true,
  ok: true,
  errorClass: true,
  latencyMs: true,
  ttftMs: true,
  inputTokens: true,
  outputTokens: true,
  cost: true,
  createdAt: true,
} satisfies Prisma.PlaygroundTranscriptSelect;

export type TranscriptDto = Omit<Prisma.PlaygroundTranscriptGetPayload<{ select: typeof transcriptSelect }>, "cost"> & {
  cost: string | null;
};

export async function recentTranscripts(limit = 20): Promise<TranscriptDto[]> {
  const rows = await db.playgroundTranscript.findMany({
    select: transcriptSelect,
    orderBy: { createdAt: "desc" },
    take: limit,
  });
  return rows.map((row) => ({ ...row, cost: row.cost?.toFixed() ?? null }));
}
