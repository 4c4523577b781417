import type { Metadata } from "next";
import { Suspense } from "react";
import { Card, PageHeader, Skeleton } from "@/components/ui/card";
import { MasterKeyStatus } from "@/components/keys/master-key-status";
import { RewrapPanel } from "@/components/keys/rewrap-panel";
import { requirePageActor } from "@/lib/auth/session";

export const metadata: Metadata = { title: "Settings" };

export default async function SettingsPage() {
  await requirePageActor("settings:write");
  return (
    <>
      <PageHeader title="Settings" description="Master keyring and the encryption of stored secrets." />
      <div className="space-y-6">
        <Suspense fallback={<Skeleton className="h-40" />}>
          <MasterKeyStatus />
        </Suspense>
        <Card title="Re-encrypt with the current master key">
          <p className="mb-4 text-sm text-slate-600">
            After putting a new key first in <code>CONSOLE_MASTER_KEYS</code> (keeping the old ones after it) and
            restarting, re-encrypt every stored secret with it. It runs in batches and can be resumed; when every count
            below shows only the current key id, the old keys can be removed from the keyring.
          </p>
          <RewrapPanel />
        </Card>
      </div>
    </>
  );
}
