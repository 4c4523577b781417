import type { Metadata } from "next";
import { Suspense } from "react";
import { buttonClass } from "@/components/ui/button-styles";
import { Card, PageHeader, Skeleton } from "@/components/ui/card";
import Link from "@/components/ui/link";
import { RouteTable } from "@/components/routes/route-table";
import { can } from "@/lib/auth/roles";
import { requirePageActor } from "@/lib/auth/session";

export const metadata: Metadata = { title: "Routes" };

export default async function RoutesPage() {
  const actor = await requirePageActor("gateway:read");
  return (
    <>
      <PageHeader
        title="Routes"
        description="Model names applications call like any model, answered by fallbacks or load-balanced targets, with retries, cooldowns and an optional cache."
        actions={
          can(actor.role, "gateway:write") ? (
            <Link href="/gateway/routes/new" className={buttonClass()}>
              New route
            </Link>
          ) : null
        }
      />
      <Card title="Routes">
        <Suspense fallback={<Skeleton className="h-40" />}>
          <RouteTable />
        </Suspense>
      </Card>
    </>
  );
}
