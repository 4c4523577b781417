import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { Suspense } from "react";
import { Card, PageHeader, Skeleton } from "@/components/ui/card";
import { DeliveryLog } from "@/components/notifications/delivery-log";
import { requirePageActor } from "@/lib/auth/session";
import { getChannel } from "@/lib/notifications/queries";
import { channelIdSchema } from "@/lib/notifications/schemas";

export const metadata: Metadata = { title: "Delivery log" };

export default async function ChannelDeliveriesPage({ params }: { params: Promise<{ channelId: string }> }) {
  await requirePageActor("notifications:read");
  const parsed = channelIdSchema.safeParse(await params);
  if (!parsed.success) notFound();
  const channel = await getChannel(parsed.data.channelId);
  if (!channel) notFound();
  return (
    <>
      <PageHeader
        title={`Delivery log: ${channel.name}`}
        description="Each event sent to this channel, newest first, with every attempt's HTTP status and latency."
      />
      <Card>
        <Suspense fallback={<Skeleton className="h-40" />}>
          <DeliveryLog channelId={channel.id} />
        </Suspense>
      </Card>
    </>
  );
}
