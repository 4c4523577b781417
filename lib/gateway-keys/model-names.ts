// How applications name a model through the gateway: "provider-slug/model-id" picks one provider's
// model; a bare model id means that model on any provider that serves it. A key's allowed_models
// holds the same two forms (empty = every model).

export type CallableModel = { providerSlug: string; providerName: string; modelId: string; displayName: string };

export function gatewayModelName(model: Pick<CallableModel, "providerSlug" | "modelId">): string {
  return `${model.providerSlug}/${model.modelId}`;
}

/** True when the entry names at least one callable model, in either form. */
export function entryNamesModel(entry: string, models: readonly CallableModel[]): boolean {
  return models.some((model) => model.modelId === entry || gatewayModelName(model) === entry);
}

/** The entries that name no callable model (each gets its own line in the field error). */
export function unknownEntries(entries: readonly string[], models: readonly CallableModel[]): string[] {
  return entries.filter((entry) => !entryNamesModel(entry, models));
}
