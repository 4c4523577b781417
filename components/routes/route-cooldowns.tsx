import { Badge } from "@/components/ui/card";
import { requirePageActor } from "@/lib/auth/session";
import { loadTargetLabeler, targetCooldowns, targetKeyOf } from "@/lib/routes/queries";
import type { RouteSettings } from "@/lib/routes/schemas";

// The shared cooldown state of each target (written by every gateway instance): consecutive
// failures, skipped until open_until, then one half-open probe (probe_until) decides.

const when = (at: Date) => `${at.toISOString().replace("T", " ").slice(0, 19)} UTC`;

export async function RouteCooldowns({ settings, now = new Date() }: { settings: RouteSettings; now?: Date }) {
  await requirePageActor("gateway:read");
  const targets = settings.groups.flatMap((group) => group.targets);
  const [states, label] = await Promise.all([targetCooldowns(targets), loadTargetLabeler()]);
  return (
    <table className="w-full text-left text-sm" data-testid="route-cooldowns">
      <thead className="text-xs uppercase text-slate-500">
        <tr>
          <th className="py-2 pr-3">Target</th>
          <th className="pr-3">State</th>
          <th className="pr-3 text-right">Failures in a row</th>
          <th className="pr-3">Open until</th>
          <th>Last error</th>
        </tr>
      </thead>
      <tbody className="divide-y divide-slate-100">
        {targets.map((target) => {
          const state = states.get(targetKeyOf(target));
          const open = state?.openUntil && state.openUntil > now;
          const probing = state?.probeUntil && state.probeUntil > now;
          return (
            <tr key={targetKeyOf(target)}>
              <td className="py-1.5 pr-3">{label(target)}</td>
              <td className="pr-3">
                {probing ? (
                  <Badge tone="amber">probing</Badge>
                ) : open ? (
                  <Badge tone="red">cooling down</Badge>
                ) : state && state.failures > 0 ? (
                  <Badge tone="amber">failing</Badge>
                ) : (
                  <Badge tone="green">healthy</Badge>
                )}
              </td>
              <td className="pr-3 text-right tabular-nums">{state?.failures ?? 0}</td>
              <td className="pr-3 font-mono text-xs">{state?.openUntil ? when(state.openUntil) : "—"}</td>
              <td className="text-slate-600">{state?.lastErrorClass ?? "—"}</td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}
