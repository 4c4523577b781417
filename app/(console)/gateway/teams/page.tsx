import type { Metadata } from "next";
import { Suspense } from "react";
import { Card, PageHeader, Skeleton } from "@/components/ui/card";
import { CreateTeamForm } from "@/components/gateway/team-form";
import { TeamTable } from "@/components/gateway/team-table";
import { can } from "@/lib/auth/roles";
import { requirePageActor } from "@/lib/auth/session";

export const metadata: Metadata = { title: "Teams" };

export default async function TeamsPage() {
  const actor = await requirePageActor("gateway:read");
  const canWrite = can(actor.role, "gateway:write");
  return (
    <>
      <PageHeader
        title="Teams"
        description="Every gateway key belongs to a team; a team's budget covers the spend of all its keys."
      />
      <div className={canWrite ? "grid gap-6 lg:grid-cols-3" : ""}>
        {canWrite ? (
          <Card title="New team" className="lg:col-span-1">
            <CreateTeamForm />
          </Card>
        ) : null}
        <Card title="Teams" className="lg:col-span-2">
          <Suspense fallback={<Skeleton className="h-40" />}>
            <TeamTable />
          </Suspense>
        </Card>
      </div>
    </>
  );
}
