import "server-only";
import type { ActionSpec } from "@/lib/actions/define-action";
import { importModels, listImportableModels, type ImportableModel } from "@/lib/test-calls/import-models";
import { formatCost, type CallOutcome } from "@/lib/calls/outcome";
import { testKeyCall, testModelCall } from "@/lib/test-calls/run-test-call";
import {
  importModelsSchema,
  listImportableSchema,
  testKeyCallSchema,
  testModelCallSchema,
} from "@/lib/test-calls/schemas";

const outcomeMessage = (outcome: CallOutcome | void) => {
  if (!outcome) return "The test did not run.";
  if (!outcome.ok) return `The test failed (${outcome.errorClass}): ${outcome.message}`;
  if (!outcome.attempted) return outcome.message;
  return `The provider answered in ${outcome.latencyMs} ms (first token ${outcome.ttftMs} ms), cost ${formatCost(outcome.cost)}.`;
};

export const testKeyCallSpec = {
  name: "testCalls.key",
  capability: "keys:write",
  schema: testKeyCallSchema,
  successMessage: outcomeMessage,
  revalidate: ["/providers"],
  handler: (input, actor) => testKeyCall(input.keyId, actor),
} satisfies ActionSpec<typeof testKeyCallSchema, CallOutcome>;

export const testModelCallSpec = {
  name: "testCalls.model",
  capability: "providers:write",
  schema: testModelCallSchema,
  successMessage: outcomeMessage,
  revalidate: (input) => [`/providers/${input.providerId}`],
  handler: (input, actor) => testModelCall(input.providerId, input.modelId, actor),
} satisfies ActionSpec<typeof testModelCallSchema, CallOutcome>;

// Reads the provider's list with the stored key: writers only, since it uses (and stamps) the key.
export const listImportableModelsSpec = {
  name: "testCalls.listImportable",
  capability: "providers:write",
  schema: listImportableSchema,
  handler: async (input) => ({ models: await listImportableModels(input.providerId) }),
} satisfies ActionSpec<typeof listImportableSchema, { models: ImportableModel[] }>;

export const importModelsSpec = {
  name: "testCalls.importModels",
  capability: "providers:write",
  schema: importModelsSchema,
  successMessage: (data) =>
    data
      ? `Imported ${data.imported.length} model(s)${data.skipped.length ? `; ${data.skipped.length} already present were skipped` : ""}. Add their prices so spend can be computed.`
      : "Nothing imported.",
  revalidate: (input) => ["/", "/providers", `/providers/${input.providerId}`],
  handler: (input, actor) => importModels(input.providerId, input.modelIds, actor),
} satisfies ActionSpec<typeof importModelsSchema, { imported: string[]; skipped: string[] }>;

/** Every test-call spec, for the role-refusal tests. */
export const testCallActionSpecs = [
  testKeyCallSpec,
  testModelCallSpec,
  listImportableModelsSpec,
  importModelsSpec,
] as const;
