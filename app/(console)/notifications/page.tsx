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
  const canSubscribe = can(actor.role, "notifications:subscribe");
  return (
    <>
      <PageHeader
        title="Notifications"
        description="Events (budget thresholds at 80 % and 100 %, …) go to webhook and email channels by the rules below, retried for up to 24 hours. Finance can subscribe themselves to budget alerts on email channels marked open for subscriptions."
      />
      <div className="grid gap-6 lg:grid-cols-3">
        {canWrite ? (
          <Card title="New channel" className="lg:col-span-1">
            <CreateChannelForm />
          </Card>
        ) : null}
        <Card title="Channels" className={canWrite ? "lg:col-span-2" : "lg:col-span-3"}>
          <Suspense fallback={<Skeleton className="h-40" />}>
            <ChannelList canWrite={canWrite} canSubscribe={canSubscribe} userId={actor.id} />
          </Suspense>
        </Card>
      </div>
    </>
  );
}
