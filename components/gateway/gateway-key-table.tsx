import Link from "@/components/ui/link";
import { KeyStateBadge } from "@/components/gateway/key-state-badge";
import { RevokeGatewayKeyForm } from "@/components/gateway/revoke-gateway-key-form";
import { SpendAgainstBudget } from "@/components/gateway/spend-against-budget";
import { can } from "@/lib/auth/roles";
import { requirePageActor } from "@/lib/auth/session";
import { listGatewayKeys } from "@/lib/gateway-keys/queries";
import { formatUtc } from "@/lib/gateway-keys/status";

export async function GatewayKeyTable() {
  const actor = await requirePageActor("gateway:read");
  const canWrite = can(actor.role, "gateway:write");
  const keys = await listGatewayKeys();
  if (keys.length === 0) return <p className="text-sm text-slate-600">No gateway keys yet.</p>;
  return (
    <div className="overflow-x-auto">
      <table className="w-full text-left text-sm">
        <caption className="sr-only">
          Gateway keys, this UTC month&apos;s spend and the current minute&apos;s requests
        </caption>
        <thead className="text-xs uppercase text-slate-500">
          <tr>
            <th className="py-2 pr-3">Name</th>
            <th className="pr-3">Team</th>
            <th className="pr-3">Key</th>
            <th className="pr-3">Status</th>
            <th className="pr-3">Last used</th>
            <th className="pr-3">Spend this month</th>
            <th className="pr-3">Requests this minute</th>
            <th className="sr-only">Actions</th>
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-100">
          {keys.map((key) => (
            <tr key={key.id} data-testid="gateway-key-row" className="align-top">
              <td className="py-2 pr-3 font-medium text-slate-900">
                <Link href={`/gateway/keys/${key.id}`} className="text-indigo-700 hover:underline">
                  {key.name}
                </Link>
              </td>
              <td className="pr-3 text-slate-700">{key.team.name}</td>
              <td className="pr-3 font-mono text-xs text-slate-600">{`pcgw-…${key.last4}`}</td>
              <td className="pr-3">
                <KeyStateBadge state={key.state} />
              </td>
              <td className="pr-3 text-slate-600">{key.lastUsedAt ? formatUtc(key.lastUsedAt) : "never"}</td>
              <td className="pr-3">
                <SpendAgainstBudget spend={key.spend} budget={key.monthlyBudgetUsd} />
              </td>
              <td className="pr-3 text-slate-700">
                {key.requestsThisMinute}
                {key.rpmLimit !== null ? <span className="text-slate-500"> of {key.rpmLimit} / min</span> : null}
              </td>
              <td className="text-right">
                {canWrite && (key.state.kind === "active" || key.state.kind === "retiring") ? (
                  <RevokeGatewayKeyForm gatewayKeyId={key.id} name={key.name} />
                ) : null}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
