import type { Metadata } from "next";
import { Suspense } from "react";
import { Card, PageHeader, Skeleton } from "@/components/ui/card";
import { ChannelList } from "@/components/notifications/channel-list";
import { CreateChannelForm } from "@/components/notifications/create-channel-form";
import { requirePageActor } from "@/lib/auth/session";
import { can } from "@/lib/auth/roles";

export const metadata: Metadata = { title: "Notifications" };

export default async function NotificationsPage() {
  const actor = await requirePageActor("notifications:read");
  const canWrite = can(actor.role, "notifications:write");
  return (
    <>
      <PageHeader
        title="Notifications"
        description="Budget thresholds (80 % and 100 % of every budget) are sent to webhook channels by the rules below, signed with each channel's secret and retried for up to 24 hours."
      />
      <div className="grid gap-6 lg:grid-cols-3">
        {canWrite ? (
          <Card title="New webhook channel" className="lg:col-span-1">
            <CreateChannelForm />
          </Card>
        ) : null}
        <Card title="Channels" className={canWrite ? "lg:col-span-2" : "lg:col-span-3"}>
          <Suspense fallback={<Skeleton className="h-40" />}>
            <ChannelList canWrite={canWrite} />
          </Suspense>
        </Card>
      </div>
    </>
  );
}
