import Link from "@/components/ui/link";
import { KeyStateBadge } from "@/components/gateway/key-state-badge";
import { SpendAgainstBudget } from "@/components/gateway/spend-against-budget";
import { requirePageActor } from "@/lib/auth/session";
import { getGatewayKey } from "@/lib/gateway-keys/queries";
import { formatUtc } from "@/lib/gateway-keys/status";

const limitText = (value: number | null, unit: string) => (value === null ? "no limit" : `${value} ${unit}`);

export async function GatewayKeyFacts({ id }: { id: string }) {
  await requirePageActor("gateway:read");
  const key = await getGatewayKey(id);
  if (!key) return null;
  const facts: [string, React.ReactNode][] = [
    ["Team", key.team.name],
    [
      "Key",
      <span key="key" className="font-mono text-xs">
        {`pcgw-…${key.last4}`}
      </span>,
    ],
    ["Status", <KeyStateBadge key="state" state={key.state} />],
    ["Created", formatUtc(key.createdAt)],
    ["Last used", key.lastUsedAt ? formatUtc(key.lastUsedAt) : "never"],
    ["Expires", key.expiresAt ? formatUtc(key.expiresAt) : "never"],
    ["Spend this month (UTC)", <SpendAgainstBudget key="spend" spend={key.spend} budget={key.monthlyBudgetUsd} />],
    ["Requests this minute", `${key.requestsThisMinute}${key.rpmLimit !== null ? ` of ${key.rpmLimit}` : ""}`],
    ["Requests per minute", limitText(key.rpmLimit, "per minute")],
    ["Tokens per minute", limitText(key.tpmLimit, "per minute")],
    ["Parallel requests", limitText(key.maxParallel, "at once")],
    ["Models", key.allowedModels.length ? key.allowedModels.join(", ") : "every model"],
    ["Client addresses", key.allowedIps.length ? key.allowedIps.join(", ") : "any address"],
  ];
  if (key.lineageId || key.replacedById) {
    facts.push([
      "Budget and limits",
      "shared with every key of its rotation chain (this month's spend and this minute's requests count for all of them)",
    ]);
  }
  if (key.replacedById) {
    facts.push([
      "Replaced by",
      <Link key="next" href={`/gateway/keys/${key.replacedById}`} className="text-indigo-600 hover:underline">
        its successor
      </Link>,
    ]);
  }
  return (
    <dl className="grid gap-x-6 gap-y-3 text-sm sm:grid-cols-2">
      {facts.map(([label, value]) => (
        <div key={label}>
          <dt className="text-xs font-medium uppercase text-slate-500">{label}</dt>
          <dd className="mt-0.5 break-words text-slate-800">{value}</dd>
        </div>
      ))}
    </dl>
  );
}
