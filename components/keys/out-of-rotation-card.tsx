import { requirePageActor } from "@/lib/auth/session";
import Link from "@/components/ui/link";
import { Card } from "@/components/ui/card";
import { keysOutOfRotation } from "@/lib/keys/queries";

/** Overview widget: keys the gateway stopped using (401 / quota exhausted); hidden when there are none. */
export async function OutOfRotationCard({ className = "" }: { className?: string }) {
  await requirePageActor("keys:read");
  const providers = await keysOutOfRotation();
  if (providers.length === 0) return null;
  const total = providers.reduce((sum, provider) => sum + provider.keys, 0);
  return (
    <Card title="Keys out of the gateway's rotation" className={className}>
      <p className="mb-2 text-sm text-amber-800" data-testid="out-of-rotation-count">
        {total === 1 ? "1 key was" : `${total} keys were`} taken out of rotation after the provider refused them (401 or
        quota exhausted). Fix the cause, then return each to rotation on its provider page.
      </p>
      <ul className="divide-y divide-slate-100 text-sm">
        {providers.map((provider) => (
          <li key={provider.providerId} className="flex items-center justify-between gap-2 py-2">
            <Link href={`/providers/${provider.providerId}`} className="font-medium text-indigo-700 hover:underline">
              {provider.providerName}
            </Link>
            <span className="text-slate-600">
              {provider.keys} {provider.keys === 1 ? "key" : "keys"}
            </span>
          </li>
        ))}
      </ul>
    </Card>
  );
}
