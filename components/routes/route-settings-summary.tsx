import { describeTarget, type TargetLabel } from "@/lib/routes/diff";
import { ROUTE_STRATEGY_LABEL, type RouteSettings } from "@/lib/routes/schemas";

/** The settings in force, as facts: strategy, each group's targets in order, and the limits. */
export function RouteSettingsSummary({ settings, label }: { settings: RouteSettings; label: TargetLabel }) {
  const grouped = settings.strategy === "FALLBACK_GROUPS";
  return (
    <div className="space-y-4 text-sm" data-testid="route-settings">
      <p>
        <span className="text-slate-500">Strategy:</span> {ROUTE_STRATEGY_LABEL[settings.strategy]}
      </p>
      {settings.groups.map((group, g) => (
        <div key={g}>
          {grouped ? <p className="font-medium text-slate-700">Group {g + 1}</p> : null}
          <ol className="list-decimal space-y-1 pl-6">
            {group.targets.map((target) => (
              <li key={`${target.providerId}:${target.modelId}`}>{describeTarget(target, label)}</li>
            ))}
          </ol>
        </div>
      ))}
      <dl className="grid gap-x-6 gap-y-1 sm:grid-cols-3">
        <div>
          <dt className="inline text-slate-500">Retries per target: </dt>
          <dd className="inline">{settings.retries}</dd>
        </div>
        <div>
          <dt className="inline text-slate-500">Deadline: </dt>
          <dd className="inline">{settings.deadlineMs} ms</dd>
        </div>
        <div>
          <dt className="inline text-slate-500">Cooldown: </dt>
          <dd className="inline">
            after {settings.cooldownFailures} failures in a row, for {settings.cooldownSeconds} s
          </dd>
        </div>
        <div>
          <dt className="inline text-slate-500">Cache: </dt>
          <dd className="inline">{settings.cacheEnabled ? `on, ${settings.cacheTtlSeconds} s TTL` : "off"}</dd>
        </div>
      </dl>
    </div>
  );
}
