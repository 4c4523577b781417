import "server-only";
import { randomUUID } from "node:crypto";
import type { Prisma } from "@/lib/generated/prisma/client";
import { DomainError } from "@/lib/errors/domain-error";
import { parseDataset, type ImportFormat } from "@/lib/evals/dataset-import";
import type { EvalCaseInput } from "@/lib/evals/cases";

// Dataset versions are immutable: every change (an import, an edited, added or deleted case)
// writes a new version with a full copy of its cases, so a run keeps pointing at exactly the cases
// it ran. case_key follows a case through edits (compare runs across versions).

export type KeyedCase = EvalCaseInput & { caseKey: string };

/** The import's cases, or a field error on `content` listing the bad lines (nothing is saved). */
export function casesFromFile(content: string, format: ImportFormat): EvalCaseInput[] {
  const result = parseDataset(content, format);
  if (result.ok) return result.cases;
  throw new DomainError("INVALID", "The file has errors; nothing was saved.", {
    content: result.errors.map((error) => `Line ${error.line}: ${error.message}`),
  });
}

export const withNewKeys = (cases: readonly EvalCaseInput[]): KeyedCase[] =>
  cases.map((item) => ({ ...item, caseKey: randomUUID() }));

type Tx = Prisma.TransactionClient;

/** Writes version (latest + 1) with these cases; the dataset row is locked so versions never collide. */
export async function writeVersion(
  tx: Tx,
  datasetId: string,
  cases: readonly KeyedCase[],
  meta: { comment: string; authorId: string | null },
): Promise<{ id: string; version: number }> {
  await tx.$queryRaw`SELECT id FROM eval_datasets WHERE id = ${datasetId}::uuid FOR UPDATE`;
  const latest = await tx.evalDatasetVersion.findFirst({
    where: { datasetId },
    orderBy: { version: "desc" },
    select: { version: true },
  });
  const version = (latest?.version ?? 0) + 1;
  const created = await tx.evalDatasetVersion.create({
    data: { datasetId, version, caseCount: cases.length, comment: meta.comment, authorId: meta.authorId },
    select: { id: true },
  });
  await tx.evalCase.createMany({
    data: cases.map((item, position) => ({
      datasetVersionId: created.id,
      caseKey: item.caseKey,
      position,
      prompt: item.messages ? null : item.prompt,
      messages: item.messages ?? undefined,
      expectedOutput: item.expectedOutput,
      metadata: item.metadata as Prisma.InputJsonValue,
    })),
  });
  await tx.evalDataset.update({ where: { id: datasetId }, data: { updatedAt: new Date() } });
  return { id: created.id, version };
}

/** The cases of a dataset's latest version, refusing a stale edit (someone saved in between). */
export async function latestCasesFor(tx: Tx, datasetId: string, baseVersion: number): Promise<KeyedCase[]> {
  const latest = await tx.evalDatasetVersion.findFirst({
    where: { datasetId, dataset: { archivedAt: null } },
    orderBy: { version: "desc" },
    select: { id: true, version: true },
  });
  if (!latest) throw new DomainError("NOT_FOUND", "Dataset was not found.");
  if (latest.version !== baseVersion)
    throw new DomainError(
      "CONFLICT",
      `The dataset changed since you opened it (it is now version ${latest.version}). Reload and edit again.`,
    );
  const rows = await tx.evalCase.findMany({
    where: { datasetVersionId: latest.id },
    orderBy: { position: "asc" },
    select: { caseKey: true, prompt: true, messages: true, expectedOutput: true, metadata: true },
  });
  return rows.map((row) => ({
    caseKey: row.caseKey,
    prompt: row.prompt,
    messages: (row.messages as KeyedCase["messages"]) ?? null,
    expectedOutput: row.expectedOutput,
    metadata: (row.metadata ?? {}) as Record<string, unknown>,
  }));
}
