import { headers } from "next/headers";
import { CopyButton } from "@/components/gateway/copy-button";
import { requirePageActor } from "@/lib/auth/session";
import { connectSnippets, gatewayBaseUrl, PLACEHOLDER_MODEL } from "@/lib/gateway-keys/connect";
import { gatewayModelName } from "@/lib/gateway-keys/model-names";
import { callableModels } from "@/lib/gateway-keys/queries";
import { trustedForwardedHost } from "@/lib/request/forwarding";

/** The gateway's base URL as this visitor reaches the console (unless GATEWAY_PUBLIC_URL says otherwise). */
async function baseUrl(): Promise<string> {
  const requestHeaders = await headers();
  return gatewayBaseUrl({
    publicUrl: process.env.GATEWAY_PUBLIC_URL,
    gatewayPort: process.env.GATEWAY_PORT,
    hostHeader: trustedForwardedHost(requestHeaders.get("x-forwarded-host")) ?? requestHeaders.get("host"),
  });
}

export async function GatewayBaseUrl() {
  await requirePageActor("gateway:read");
  const base = await baseUrl();
  return (
    <div className="flex flex-wrap items-center gap-3">
      <code data-testid="gateway-base-url" className="rounded bg-slate-100 px-2 py-1 font-mono text-sm text-slate-900">
        {base}
      </code>
      <CopyButton text={base} label="Copy URL" />
    </div>
  );
}

export async function ConnectSnippets() {
  await requirePageActor("gateway:read");
  const [base, models] = await Promise.all([baseUrl(), callableModels()]);
  const model = models[0] ? gatewayModelName(models[0]) : PLACEHOLDER_MODEL;
  return (
    <div className="space-y-5">
      {connectSnippets(base, model).map((snippet) => (
        <section key={snippet.id} aria-labelledby={`snippet-${snippet.id}`} className="space-y-2">
          <div className="flex items-center justify-between gap-3">
            <h3 id={`snippet-${snippet.id}`} className="text-sm font-semibold text-slate-800">
              {snippet.label}
            </h3>
            <CopyButton text={snippet.code} label={`Copy ${snippet.label}`} />
          </div>
          <pre
            tabIndex={0}
            className="overflow-x-auto rounded-md bg-slate-900 p-3 text-xs leading-relaxed text-slate-100"
            data-testid={`snippet-${snippet.id}`}
          >
            <code>{snippet.code}</code>
          </pre>
        </section>
      ))}
    </div>
  );
}

export async function CallableModelList() {
  await requirePageActor("gateway:read");
  const models = await callableModels();
  if (models.length === 0) {
    return (
      <p className="text-sm text-slate-600">
        No model can be called yet: enable a provider and at least one of its models.
      </p>
    );
  }
  return (
    <table className="w-full text-left text-sm">
      <caption className="sr-only">Models callable through the gateway</caption>
      <thead className="text-xs uppercase text-slate-500">
        <tr>
          <th className="py-2 pr-3">Gateway model name</th>
          <th className="pr-3">Model</th>
          <th>Provider</th>
        </tr>
      </thead>
      <tbody className="divide-y divide-slate-100">
        {models.map((model) => (
          <tr key={gatewayModelName(model)} data-testid="callable-model">
            <td className="py-1.5 pr-3 font-mono text-xs text-slate-900">{gatewayModelName(model)}</td>
            <td className="pr-3 text-slate-700">{model.displayName}</td>
            <td className="text-slate-700">{model.providerName}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
