import { requirePageActor } from "@/lib/auth/session";
import { ConfigForm, type ConfigFormField } from "@/components/config/config-form";
import { CONFIG_FIELDS, EMPTY_SNAPSHOT, FIELD_META, formatConfigValue, formValue } from "@/lib/config/fields";
import { mergeConfig } from "@/lib/config/merge";
import { configRanges, describeRange } from "@/lib/config/param-ranges";
import { latestConfigVersion } from "@/lib/config/queries";
import { providerKind } from "@/lib/providers/catalog";

type Target = { providerId: string; providerKind: string; modelId: string | null };

/**
 * Loads this level's newest version (the form's starting values and its base version) and what
 * an empty field would inherit, so each hint can say what leaving it empty means.
 */
export async function ConfigEditor({ target }: { target: Target }) {
  await requirePageActor("providers:write");
  const [own, providerLevel] = await Promise.all([
    latestConfigVersion(target.providerId, target.modelId),
    target.modelId ? latestConfigVersion(target.providerId, null) : Promise.resolve(null),
  ]);
  const inherited = mergeConfig(providerLevel?.snapshot ?? null, null);
  const ranges = configRanges(target.providerKind);
  const kindLabel = providerKind(target.providerKind).label;
  const current = own?.snapshot ?? EMPTY_SNAPSHOT;

  const fields: ConfigFormField[] = CONFIG_FIELDS.map((field) => {
    const meta = FIELD_META[field];
    const { value, source } = inherited[field];
    const from = source === "provider" ? " from the provider" : value !== null ? " (built-in default)" : "";
    const range =
      field === "monthlyBudgetUsd"
        ? ""
        : ` ${field === "temperature" || field === "topP" ? `${kindLabel} accepts` : "Allowed:"} ${describeRange(ranges[field])}.`;
    return {
      name: field,
      label:
        meta.unit && field !== "monthlyBudgetUsd"
          ? `${meta.label} (${meta.unit})`
          : field === "monthlyBudgetUsd"
            ? `${meta.label} (USD)`
            : meta.label,
      group: meta.group,
      current: formValue(current[field]),
      hint: `${meta.hint}${range} Empty: ${formatConfigValue(field, value, meta.whenUnset)}${from}.`,
      decimal: field === "temperature" || field === "topP" || field === "monthlyBudgetUsd",
    };
  });

  return (
    <ConfigForm
      providerId={target.providerId}
      modelId={target.modelId}
      baseVersion={own?.version ?? 0}
      fields={fields}
    />
  );
}
