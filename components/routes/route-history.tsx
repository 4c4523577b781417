import { Badge } from "@/components/ui/card";
import { RollbackRouteForm } from "@/components/routes/route-state-controls";
import { requirePageActor } from "@/lib/auth/session";
import { listRouteVersions, loadTargetLabeler } from "@/lib/routes/queries";

// Newest first, each version with what it changed against the one before it; any older version
// can be restored (as a new version) by an admin.

const when = (at: Date) => `${at.toISOString().replace("T", " ").slice(0, 19)} UTC`;

export async function RouteHistory({
  routeId,
  currentVersion,
  canWrite,
}: {
  routeId: string;
  currentVersion: number;
  canWrite: boolean;
}) {
  await requirePageActor("gateway:read");
  const { versions, more } = await listRouteVersions(routeId, await loadTargetLabeler());
  return (
    <ol className="space-y-4" data-testid="route-history">
      {versions.map((version) => (
        <li key={version.version} className="rounded-md p-3 ring-1 ring-slate-200" data-version={version.version}>
          <div className="flex flex-wrap items-center justify-between gap-2">
            <p className="text-sm">
              <span className="font-semibold">Version {version.version}</span>{" "}
              {version.version === currentVersion ? <Badge tone="green">in force</Badge> : null}{" "}
              {version.rolledBackFrom ? <Badge tone="indigo">restored version {version.rolledBackFrom}</Badge> : null}
              <span className="block text-xs text-slate-500">
                {when(version.createdAt)} · {version.authorEmail ?? "a removed user"}
                {version.comment ? ` · “${version.comment}”` : ""}
              </span>
            </p>
            {canWrite && version.version !== currentVersion ? (
              <RollbackRouteForm routeId={routeId} baseVersion={currentVersion} version={version.version} />
            ) : null}
          </div>
          <table className="mt-2 w-full text-left text-xs">
            <tbody className="divide-y divide-slate-100">
              {version.changes.map((change) => (
                <tr key={change.field}>
                  <th scope="row" className="w-48 py-1 pr-3 font-medium text-slate-600">
                    {change.label}
                  </th>
                  <td className="py-1 text-slate-800">
                    {version.version === 1 ? (
                      change.afterText
                    ) : (
                      <>
                        <del className="text-slate-500">{change.beforeText}</del> →{" "}
                        <ins className="no-underline">{change.afterText}</ins>
                      </>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </li>
      ))}
      {more ? <li className="text-xs text-slate-500">Older versions are not shown.</li> : null}
    </ol>
  );
}
