import { requirePageActor } from "@/lib/auth/session";
import Link from "@/components/ui/link";
import { Card } from "@/components/ui/card";
import { formatDate, KeyStatusBadge } from "@/components/keys/key-status-badge";
import { keysNeedingAttention } from "@/lib/keys/queries";

/** Overview widget: expired, retiring and soon-expiring keys (metadata only). */
export async function ExpiringKeysCard() {
  await requirePageActor("keys:read");
  const keys = await keysNeedingAttention();
  return (
    <Card title="Keys needing attention" className="lg:col-span-3">
      {keys.length === 0 ? (
        <p className="text-sm text-slate-600">No expired, retiring or soon-expiring keys.</p>
      ) : (
        <ul className="divide-y divide-slate-100 text-sm">
          {keys.map((key) => (
            <li key={key.id} className="flex flex-wrap items-center justify-between gap-2 py-2">
              <span>
                <Link href={`/providers/${key.providerId}`} className="font-medium text-indigo-700 hover:underline">
                  {key.providerName}
                </Link>{" "}
                · {key.label}
              </span>
              <span className="flex items-center gap-3">
                <span className="text-slate-500">expires {formatDate(key.expiresAt)}</span>
                <KeyStatusBadge status={key.status} />
              </span>
            </li>
          ))}
        </ul>
      )}
    </Card>
  );
}
