import { requirePageActor } from "@/lib/auth/session";
import { Badge } from "@/components/ui/card";
import { ConfigDiff } from "@/components/config/config-diff";
import { RollbackForm } from "@/components/config/rollback-form";
import { listConfigVersions } from "@/lib/config/queries";
import { utcTime } from "@/lib/config/fields";

type Target = { providerId: string; modelId: string | null };

/** Every version of one level, newest first, each with its diff against the one before it. */
export async function VersionHistory({ target, canRollBack }: { target: Target; canRollBack: boolean }) {
  await requirePageActor("providers:read");
  const { versions, more } = await listConfigVersions(target.providerId, target.modelId);
  if (versions.length === 0) {
    return (
      <p className="text-sm text-slate-600">
        No versions yet:{" "}
        {target.modelId ? "this model inherits the provider's configuration" : "the built-in defaults apply"} until
        someone saves.
      </p>
    );
  }
  const latest = versions[0]!.version;
  return (
    <>
      <ol className="divide-y divide-slate-100">
        {versions.map((entry) => (
          <li
            key={entry.version}
            aria-label={`Version ${entry.version}`}
            className="flex flex-wrap items-start justify-between gap-4 py-4 first:pt-0 last:pb-0"
          >
            <div className="min-w-0 space-y-2">
              <p className="flex flex-wrap items-center gap-2 text-sm">
                <span className="font-semibold text-slate-900">Version {entry.version}</span>
                {entry.version === latest ? <Badge tone="green">In force</Badge> : null}
                {entry.rolledBackFrom ? <Badge tone="amber">Restores version {entry.rolledBackFrom}</Badge> : null}
              </p>
              <p className="text-xs text-slate-500">
                {entry.authorEmail ?? "a removed user"} ·{" "}
                <time dateTime={entry.createdAt.toISOString()}>{utcTime(entry.createdAt)}</time>
              </p>
              {entry.comment ? <p className="text-sm italic text-slate-700">“{entry.comment}”</p> : null}
              <ConfigDiff changes={entry.changes} />
            </div>
            {canRollBack && entry.version !== latest ? (
              <RollbackForm
                providerId={target.providerId}
                modelId={target.modelId}
                version={entry.version}
                baseVersion={latest}
              />
            ) : null}
          </li>
        ))}
      </ol>
      {more ? <p className="mt-4 text-xs text-slate-500">Showing the newest {versions.length} versions.</p> : null}
    </>
  );
}
