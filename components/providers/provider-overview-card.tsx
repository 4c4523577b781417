import type { ReactNode } from "react";
import { Card } from "@/components/ui/card";
import { TagList } from "@/components/providers/provider-status-badge";
import { AUTH_SCHEME_LABEL, providerKind } from "@/lib/providers/catalog";
import type { ProviderDetail } from "@/lib/providers/queries";

const dateTime = new Intl.DateTimeFormat("en-GB", { dateStyle: "medium", timeStyle: "short", timeZone: "UTC" });

function Fact({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div className="min-w-0">
      <dt className="text-xs font-medium uppercase tracking-wide text-slate-500">{label}</dt>
      <dd className="mt-1 break-words text-sm text-slate-800">{children}</dd>
    </div>
  );
}

function External({ href, children }: { href: string; children: ReactNode }) {
  return (
    <a href={href} target="_blank" rel="noreferrer noopener" className="font-medium text-indigo-600 hover:underline">
      {children}
      <span className="sr-only"> (opens in a new tab)</span>
    </a>
  );
}

export function ProviderOverviewCard({ provider }: { provider: ProviderDetail }) {
  const kind = providerKind(provider.kind);
  return (
    <Card title="Overview">
      <dl className="grid gap-x-6 gap-y-4 sm:grid-cols-2 lg:grid-cols-3">
        <Fact label="Kind">{kind.label}</Fact>
        <Fact label="Gateway slug">
          <code className="rounded bg-slate-100 px-1.5 py-0.5 text-xs">{provider.slug}</code>
          <span className="mt-1 block text-xs text-slate-500">
            Gateway model names: <code>{provider.slug}/&lt;model id&gt;</code>
          </span>
        </Fact>
        <Fact label="Base URL">
          <code className="rounded bg-slate-100 px-1.5 py-0.5 text-xs">{provider.baseUrl}</code>
          {provider.allowInsecure ? <span className="ml-2 text-xs text-amber-700">insecure http allowed</span> : null}
        </Fact>
        <Fact label="Authentication">
          {AUTH_SCHEME_LABEL[kind.authScheme]}
          {kind.keyRequired ? "" : " (key optional)"}
        </Fact>
        <Fact label="Region / data residency">
          {provider.region || <span className="text-slate-400">Not recorded</span>}
        </Fact>
        <Fact label="Tags">
          <TagList tags={provider.tags} />
        </Fact>
        <Fact label="Links">
          <span className="flex flex-wrap gap-3">
            <External href={kind.docsUrl}>API docs</External>
            {kind.pricingUrl ? <External href={kind.pricingUrl}>Pricing</External> : null}
          </span>
        </Fact>
        {provider.description ? (
          <div className="sm:col-span-2 lg:col-span-3">
            <Fact label="Description">
              <span className="whitespace-pre-line">{provider.description}</span>
            </Fact>
          </div>
        ) : null}
        <Fact label="Created">{dateTime.format(provider.createdAt)} UTC</Fact>
        <Fact label="Last changed">{dateTime.format(provider.updatedAt)} UTC</Fact>
      </dl>
    </Card>
  );
}
