import { Card } from "@/components/ui/card";
import { KeysTable } from "@/components/keys/keys-table";
import { AddKeyForm } from "@/components/keys/add-key-form";
import { RotateKeyForm } from "@/components/keys/rotate-key-form";
import { listProviderKeys } from "@/lib/keys/queries";
import { requirePageActor } from "@/lib/auth/session";
import { can } from "@/lib/auth/roles";

/** The provider page's keys section: metadata for every role, add/rotate/revoke for writers. */
export async function ProviderKeysSlot({
  providerId,
  canWrite: pageAllowsWrites,
}: {
  providerId: string;
  canWrite: boolean;
}) {
  // The page decides for the provider (e.g. archived); the key capability is checked here too.
  const actor = await requirePageActor("keys:read");
  const keys = await listProviderKeys(providerId, actor.role);
  const canWrite = pageAllowsWrites && can(actor.role, "keys:write");
  const hasActivePrimary = keys.some((key) => key.status === "ACTIVE" && key.isPrimary);
  const flagged = keys.filter((key) => key.status === "EXPIRED" || key.undecryptable);
  return (
    <div className="space-y-6">
      <Card title="API keys">
        {!hasActivePrimary && keys.length > 0 ? (
          <p
            role="alert"
            className="mb-3 rounded-md bg-amber-50 px-3 py-2 text-sm text-amber-900 ring-1 ring-amber-200"
          >
            No active primary key: calls to this provider will fail until one is added or made primary.
          </p>
        ) : null}
        {flagged.length > 0 ? (
          <p className="mb-3 rounded-md bg-red-50 px-3 py-2 text-sm text-red-800 ring-1 ring-red-200">
            {flagged.length} key(s) expired or undecryptable; they are not used for calls.
          </p>
        ) : null}
        <KeysTable keys={keys} canWrite={canWrite} />
      </Card>
      {canWrite ? (
        <div className="grid gap-6 lg:grid-cols-2">
          <Card title="Add a key">
            <AddKeyForm providerId={providerId} />
          </Card>
          <Card title="Rotate the primary key">
            <RotateKeyForm providerId={providerId} />
          </Card>
        </div>
      ) : null}
    </div>
  );
}
