import { Badge } from "@/components/ui/card";

export type ProviderStatus = "enabled" | "disabled" | "archived";

export function providerStatus(provider: { enabled: boolean; archivedAt: Date | null }): ProviderStatus {
  if (provider.archivedAt) return "archived";
  return provider.enabled ? "enabled" : "disabled";
}

const TONE = { enabled: "green", disabled: "amber", archived: "slate" } as const;
const LABEL = { enabled: "Enabled", disabled: "Disabled", archived: "Archived" } as const;

export function ProviderStatusBadge({ provider }: { provider: { enabled: boolean; archivedAt: Date | null } }) {
  const status = providerStatus(provider);
  return <Badge tone={TONE[status]}>{LABEL[status]}</Badge>;
}

export function EnabledBadge({ enabled }: { enabled: boolean }) {
  return enabled ? <Badge tone="green">Enabled</Badge> : <Badge tone="amber">Disabled</Badge>;
}

export function TagList({ tags }: { tags: readonly string[] }) {
  if (tags.length === 0) return <span className="text-slate-400">—</span>;
  return (
    <ul className="flex flex-wrap gap-1" aria-label="Tags">
      {tags.map((tag) => (
        <li key={tag}>
          <Badge tone="indigo">{tag}</Badge>
        </li>
      ))}
    </ul>
  );
}
