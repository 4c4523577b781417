import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { Suspense } from "react";
import { Card, PageHeader, Skeleton } from "@/components/ui/card";
import Link from "@/components/ui/link";
import { GatewayKeyControls } from "@/components/gateway/gateway-key-controls";
import { GatewayKeyFacts } from "@/components/gateway/gateway-key-facts";
import { can } from "@/lib/auth/roles";
import { requirePageActor } from "@/lib/auth/session";
import { getGatewayKey } from "@/lib/gateway-keys/queries";

export const metadata: Metadata = { title: "Gateway key" };

export default async function GatewayKeyPage({ params }: { params: Promise<{ id: string }> }) {
  const actor = await requirePageActor("gateway:read");
  const { id } = await params;
  // The layout answered 404 for an unknown id; this read is the same cached one.
  const key = await getGatewayKey(id);
  if (!key) notFound();
  return (
    <>
      <PageHeader
        title={key.name}
        description={
          <Link href="/gateway/keys" className="font-medium text-indigo-600 hover:underline">
            All gateway keys
          </Link>
        }
      />
      <div className="space-y-6">
        <Card title="Key">
          <Suspense fallback={<Skeleton className="h-40" />}>
            <GatewayKeyFacts id={id} />
          </Suspense>
        </Card>
        {can(actor.role, "gateway:write") ? (
          <Suspense fallback={<Skeleton className="h-96" />}>
            <GatewayKeyControls id={id} />
          </Suspense>
        ) : null}
      </div>
    </>
  );
}
