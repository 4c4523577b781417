import { requirePageActor } from "@/lib/auth/session";
import Link from "@/components/ui/link";
import { Badge, Card } from "@/components/ui/card";
import { ButtonLink } from "@/components/providers/button-link";
import { EnabledBadge } from "@/components/providers/provider-status-badge";
import { ModelEnabledToggle } from "@/components/providers/model-enabled-toggle";
import { TestModelButton } from "@/components/test-calls/test-model-button";
import { MODEL_TYPE_LABEL } from "@/lib/providers/model-schemas";
import { formatPrice } from "@/lib/providers/price";
import { listModels, type ModelRow } from "@/lib/providers/queries";

const number = new Intl.NumberFormat("en-US");

function TypeCell({ model }: { model: ModelRow }) {
  const detail =
    model.type === "DOMAIN" ? model.domain : model.type === "FINE_TUNED" ? `from ${model.baseModel}` : null;
  return (
    <span>
      {MODEL_TYPE_LABEL[model.type]}
      {detail ? <span className="block text-xs text-slate-500">{detail}</span> : null}
    </span>
  );
}

/** The provider's models with the price in force now (USD per 1M tokens). */
export async function ModelsTable({ providerId, canWrite }: { providerId: string; canWrite: boolean }) {
  await requirePageActor("providers:read");
  const models = await listModels(providerId);
  const addLink = canWrite ? (
    <ButtonLink href={`/providers/${providerId}/models/new`} variant="secondary">
      Add model
    </ButtonLink>
  ) : null;
  return (
    <Card title={`Models (${models.length})`} actions={addLink}>
      {models.length === 0 ? (
        <p className="text-sm text-slate-600">
          No models yet.{canWrite ? " Add the models you use, with their prices, so spend can be computed." : ""}
        </p>
      ) : (
        <div className="-mx-5 -my-5 overflow-x-auto">
          <table className="min-w-full divide-y divide-slate-200 text-sm">
            <caption className="sr-only">Models and the prices in force now, in USD per 1M tokens</caption>
            <thead className="bg-slate-50">
              <tr className="text-left text-xs font-semibold uppercase tracking-wide text-slate-500">
                <th scope="col" className="px-5 py-3">
                  Model
                </th>
                <th scope="col" className="px-3 py-3">
                  Type
                </th>
                <th scope="col" className="px-3 py-3 text-right">
                  Context
                </th>
                <th scope="col" className="px-3 py-3 text-right">
                  Input / 1M
                </th>
                <th scope="col" className="px-3 py-3 text-right">
                  Cached / 1M
                </th>
                <th scope="col" className="px-3 py-3 text-right">
                  Output / 1M
                </th>
                <th scope="col" className="px-3 py-3">
                  Status
                </th>
                {canWrite ? (
                  <th scope="col" className="px-5 py-3">
                    <span className="sr-only">Actions</span>
                  </th>
                ) : null}
              </tr>
            </thead>
            <tbody className="divide-y divide-slate-100">
              {models.map((model) => (
                <tr key={model.id} className={model.enabled ? "text-slate-800" : "text-slate-500"}>
                  <td className="px-5 py-3">
                    <Link
                      href={`/providers/${providerId}/models/${model.id}`}
                      className="font-medium text-indigo-700 hover:underline"
                    >
                      {model.displayName}
                    </Link>
                    <code className="block text-xs text-slate-500">{model.modelId}</code>
                    <Link
                      href={`/providers/${providerId}/configuration?model=${model.id}`}
                      className="text-xs text-slate-600 underline-offset-2 hover:text-indigo-700 hover:underline"
                    >
                      Configuration
                    </Link>
                  </td>
                  <td className="px-3 py-3">
                    <TypeCell model={model} />
                  </td>
                  <td className="px-3 py-3 text-right tabular-nums">
                    {model.contextWindow ? number.format(model.contextWindow) : "—"}
                  </td>
                  {model.current ? (
                    <>
                      <td className="px-3 py-3 text-right tabular-nums">${formatPrice(model.current.input)}</td>
                      <td className="px-3 py-3 text-right tabular-nums">
                        {model.current.cachedInput === null ? "—" : `$${formatPrice(model.current.cachedInput)}`}
                      </td>
                      <td className="px-3 py-3 text-right tabular-nums">${formatPrice(model.current.output)}</td>
                    </>
                  ) : (
                    <td colSpan={3} className="px-3 py-3 text-right">
                      <Badge tone="amber">No price in force</Badge>
                    </td>
                  )}
                  <td className="px-3 py-3">
                    <EnabledBadge enabled={model.enabled} />
                  </td>
                  {canWrite ? (
                    <td className="px-5 py-3 text-right">
                      <ModelEnabledToggle
                        providerId={providerId}
                        id={model.id}
                        enabled={model.enabled}
                        name={model.displayName}
                      />
                      {model.type !== "EMBEDDING" ? (
                        <TestModelButton providerId={providerId} modelId={model.id} name={model.displayName} />
                      ) : null}
                    </td>
                  ) : null}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </Card>
  );
}
