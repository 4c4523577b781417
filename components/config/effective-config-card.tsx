import { requirePageActor } from "@/lib/auth/session";
import { SourceBadge } from "@/components/config/source-badge";
import { getEffectiveConfig } from "@/lib/config/effective-config";
import { CONFIG_FIELDS, FIELD_META, formatConfigValue } from "@/lib/config/fields";

/** The merged configuration a call would run with now, each value with its source. */
export async function EffectiveConfigCard({ providerId, modelId }: { providerId: string; modelId: string | null }) {
  await requirePageActor("providers:read");
  const config = await getEffectiveConfig(providerId, modelId);
  if (!config) return <p className="text-sm text-slate-600">This provider or model no longer exists.</p>;
  const versions = [
    `provider ${config.providerVersion ? `version ${config.providerVersion}` : "not configured"}`,
    modelId ? `model ${config.modelVersion ? `version ${config.modelVersion}` : "not configured"}` : null,
  ].filter(Boolean);
  return (
    <>
      <p className="mb-3 text-xs text-slate-500">Merged from {versions.join(", ")}.</p>
      <table className="min-w-full text-sm" aria-label="Effective configuration">
        <thead>
          <tr className="text-left text-xs font-semibold uppercase tracking-wide text-slate-500">
            <th scope="col" className="py-2 pr-3">
              Setting
            </th>
            <th scope="col" className="py-2 pr-3">
              Value
            </th>
            <th scope="col" className="py-2">
              Source
            </th>
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-100">
          {CONFIG_FIELDS.map((field) => {
            const { value, source } = config.fields[field];
            return (
              <tr key={field}>
                <th scope="row" className="py-2 pr-3 text-left font-medium text-slate-700">
                  {FIELD_META[field].label}
                </th>
                <td className="py-2 pr-3 tabular-nums text-slate-900">
                  {formatConfigValue(field, value, FIELD_META[field].whenUnset)}
                </td>
                <td className="py-2">
                  <SourceBadge source={source} />
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </>
  );
}
