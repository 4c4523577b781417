import { MODEL_TYPE_LABEL } from "@/lib/providers/model-schemas";
import type { ModelRow } from "@/lib/providers/queries";

const number = new Intl.NumberFormat("en-US");

/** Read-only model details for roles that cannot edit them. */
export function ModelFacts({ model }: { model: ModelRow }) {
  const facts: [string, string][] = [
    ["Provider's model id", model.modelId],
    ["Display name", model.displayName],
    ["Type", MODEL_TYPE_LABEL[model.type]],
    ...(model.domain ? [["Domain", model.domain] as [string, string]] : []),
    ...(model.baseModel ? [["Base model", model.baseModel] as [string, string]] : []),
    ["Context window", model.contextWindow ? `${number.format(model.contextWindow)} tokens` : "Not recorded"],
    ["Max output tokens", model.maxOutputTokens ? `${number.format(model.maxOutputTokens)} tokens` : "Not recorded"],
  ];
  return (
    <dl className="grid gap-4 sm:grid-cols-2">
      {facts.map(([label, value]) => (
        <div key={label}>
          <dt className="text-xs font-medium uppercase tracking-wide text-slate-500">{label}</dt>
          <dd className="mt-1 break-words text-sm text-slate-800">{value}</dd>
        </div>
      ))}
    </dl>
  );
}
