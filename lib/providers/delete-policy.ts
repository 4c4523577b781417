// What "delete provider" does, decided from what still points at the provider:
// - keys that are not revoked (active, retiring, expired) → refuse: revoke them first, so a
//   delete never silently strands a credential that may still be in use;
// - only history (revoked keys, usage records) → archive: the history keeps its provider, the
//   provider is disabled and hidden from the default list, and it can be restored;
// - nothing → delete for good; its models and price history go with it.

export type ProviderReferences = { liveKeys: number; revokedKeys: number; hasUsage: boolean };

export type DeletePlan =
  | { outcome: "refuse"; message: string }
  | { outcome: "archive"; message: string }
  | { outcome: "delete"; message: string };

const capitalise = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);
const plural = (count: number, one: string, many = `${one}s`) => `${count} ${count === 1 ? one : many}`;

export function decideDelete(references: ProviderReferences): DeletePlan {
  if (references.liveKeys > 0) {
    return {
      outcome: "refuse",
      message: `This provider still has ${plural(references.liveKeys, "API key")} that ${references.liveKeys === 1 ? "is" : "are"} not revoked. Revoke ${references.liveKeys === 1 ? "it" : "them"} first, then delete the provider.`,
    };
  }
  const history = [
    references.revokedKeys > 0 ? plural(references.revokedKeys, "revoked key") : null,
    references.hasUsage ? "recorded usage" : null,
  ].filter((part): part is string => part !== null);
  if (history.length > 0) {
    return {
      outcome: "archive",
      message: `${capitalise(history.join(" and "))} still ${history.length === 1 && references.revokedKeys <= 1 ? "refers" : "refer"} to this provider, so it will be archived instead of deleted: disabled, hidden from the list, and restorable.`,
    };
  }
  return {
    outcome: "delete",
    message: "Nothing refers to this provider: it will be deleted for good, with its models and price history.",
  };
}
