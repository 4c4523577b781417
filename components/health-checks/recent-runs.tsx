import { requirePageActor } from "@/lib/auth/session";
import Link from "@/components/ui/link";
import { Badge, Card } from "@/components/ui/card";
import { listRecentRuns } from "@/lib/health-checks/queries";

const TONE = { RUNNING: "indigo", DONE: "green", INTERRUPTED: "amber" } as const;

/** The last runs, manual and scheduled; each links to its summary. */
export async function RecentRuns({ selectedId }: { selectedId: string | null }) {
  await requirePageActor("providers:read");
  const runs = await listRecentRuns(15);
  return (
    <Card title="Recent runs">
      {runs.length === 0 ? (
        <p className="text-sm text-slate-600">No runs yet.</p>
      ) : (
        <ul className="divide-y divide-slate-100 text-sm">
          {runs.map((run) => (
            <li key={run.id} className="flex flex-wrap items-center justify-between gap-2 py-2">
              <Link
                href={`/health-checks?run=${run.id}`}
                aria-current={run.id === selectedId ? "true" : undefined}
                className="font-medium text-indigo-700 hover:underline"
              >
                {run.startedAt.slice(0, 16).replace("T", " ")} UTC
              </Link>
              <span className="flex items-center gap-2 text-slate-600">
                {run.trigger === "SCHEDULED" ? "scheduled" : "manual"} · {run.completed}/{run.total}
                {run.failed ? <Badge tone="red">{run.failed} failed</Badge> : null}
                <Badge tone={TONE[run.status]}>{run.status.toLowerCase()}</Badge>
              </span>
            </li>
          ))}
        </ul>
      )}
    </Card>
  );
}
