import type { Metadata } from "next";
import { Suspense } from "react";
import { Card, PageHeader, Skeleton } from "@/components/ui/card";
import Link from "@/components/ui/link";
import { GatewayKeyTable } from "@/components/gateway/gateway-key-table";
import { NewGatewayKeyPanel } from "@/components/gateway/new-gateway-key-panel";
import { can } from "@/lib/auth/roles";
import { requirePageActor } from "@/lib/auth/session";

export const metadata: Metadata = { title: "Gateway keys" };

export default async function GatewayKeysPage() {
  const actor = await requirePageActor("gateway:read");
  const canWrite = can(actor.role, "gateway:write");
  return (
    <>
      <PageHeader
        title="Gateway keys"
        description={
          <>
            Applications call models through the gateway with these keys, within each key&apos;s limits and budget. Only
            a hash is stored: a key is shown once, when it is created or rotated.{" "}
            <Link href="/gateway/connect" className="font-medium text-indigo-600 hover:underline">
              Connect an application
            </Link>
          </>
        }
      />
      <div className={canWrite ? "grid gap-6 xl:grid-cols-3" : ""}>
        {canWrite ? (
          <Card title="New key" className="xl:col-span-1">
            <Suspense fallback={<Skeleton className="h-96" />}>
              <NewGatewayKeyPanel />
            </Suspense>
          </Card>
        ) : null}
        <Card title="Keys" className="xl:col-span-2">
          <Suspense fallback={<Skeleton className="h-40" />}>
            <GatewayKeyTable />
          </Suspense>
        </Card>
      </div>
    </>
  );
}
