import "server-only";
import { db } from "@/lib/db/client";
import { DomainError } from "@/lib/errors/domain-error";
import type { Actor } from "@/lib/auth/session";
import { writeAudit } from "@/lib/audit/write-audit";
import { UndecryptableError } from "@/lib/crypto/seal";
import { listModels, type ListedModel } from "@/lib/provider-clients/list-models";
import { lockActiveProvider } from "@/lib/providers/locks";
import { loadCallProvider } from "@/lib/calls/call-target";
import { withCallKey } from "@/lib/calls/call-key";

export type ImportableModel = ListedModel & { present: boolean };

const LIST_TIMEOUT_MS = 15_000;

/** The provider's own model list, read with its primary key; failures become readable errors. */
async function fetchProviderModels(providerId: string): Promise<{ kind: string; models: ListedModel[] }> {
  const provider = await loadCallProvider(providerId);
  const result = await withCallKey(provider, { providerId }, (apiKey) =>
    listModels({ kind: provider.kind, baseUrl: provider.baseUrl, apiKey, timeoutMs: LIST_TIMEOUT_MS }),
  ).catch((error: unknown) => {
    if (error instanceof UndecryptableError)
      throw new DomainError(
        "CONFLICT",
        "The primary key cannot be decrypted with the configured master keys; rotate it.",
      );
    throw error;
  });
  // Only ADMIN (providers:write) gets here, so the provider's redacted words may be included.
  const said = !result.ok && result.detail ? ` The provider said: "${result.detail}"` : "";
  if (!result.ok)
    throw new DomainError(
      "UNAVAILABLE",
      `The provider did not list its models (${result.errorClass}): ${result.message}${said}`,
    );
  return { kind: provider.kind, models: result.models };
}

// Ollama lists "llama3:latest" for the model a catalog calls "llama3": the same model.
const sameModel = (id: string) => id.replace(/:latest$/, "");

async function catalogIds(client: Pick<typeof db, "model">, providerId: string): Promise<Set<string>> {
  return new Set(
    (await client.model.findMany({ where: { providerId }, select: { modelId: true } })).map((m) =>
      sameModel(m.modelId),
    ),
  );
}

/** For the import picker: every listed model, marked when the catalog already has it. */
export async function listImportableModels(providerId: string): Promise<ImportableModel[]> {
  const { models } = await fetchProviderModels(providerId);
  const present = await catalogIds(db, providerId);
  return models.map((model) => ({ ...model, present: present.has(sameModel(model.id)) }));
}

// Provider lists do not say what a model is for; embedding models are the one type a name gives away.
const typeOf = (id: string) => (/embed/i.test(id) ? "EMBEDDING" : "GENERAL");

/**
 * Adds the picked models the provider lists and the catalog lacks, in one transaction with one
 * audit event. Ids the provider does not list are refused (the list is re-read now, not trusted
 * from the form); ids already present are skipped and reported. Imported models have no price:
 * they show as unpriced until one is added.
 */
export async function importModels(
  providerId: string,
  modelIds: string[],
  actor: Actor,
): Promise<{ imported: string[]; skipped: string[] }> {
  const { models } = await fetchProviderModels(providerId);
  const listed = new Map(models.map((model) => [model.id, model]));
  const unknown = modelIds.filter((id) => !listed.has(id));
  if (unknown.length > 0) {
    throw new DomainError("INVALID", "Some picked models are not in the provider's list any more. Reload the list.", {
      modelIds: [`Not listed by the provider: ${unknown.slice(0, 5).join(", ")}${unknown.length > 5 ? "…" : ""}`],
    });
  }
  return db.$transaction(async (tx) => {
    await lockActiveProvider(tx, providerId);
    const present = await catalogIds(tx, providerId);
    const toImport = modelIds.filter((id) => !present.has(sameModel(id)));
    if (toImport.length > 0) {
      await tx.model.createMany({
        data: toImport.map((id) => {
          const model = listed.get(id)!;
          return {
            providerId,
            modelId: id,
            displayName: model.displayName ?? id,
            type: typeOf(id),
            contextWindow: model.contextWindow ?? null,
          };
        }),
      });
    }
    const skipped = modelIds.filter((id) => present.has(sameModel(id)));
    await writeAudit(
      {
        actor,
        action: "models.imported",
        targetType: "provider",
        targetId: providerId,
        details: { imported: toImport, skipped },
      },
      tx,
    );
    return { imported: toImport, skipped };
  });
}
