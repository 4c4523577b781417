import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { Suspense } from "react";
import { Card, PageHeader, Skeleton } from "@/components/ui/card";
import { DeliveryLog } from "@/components/notifications/delivery-log";
import { EmailChannelSettings } from "@/components/notifications/email-channel-settings";
import { WebhookSecretForm } from "@/components/notifications/webhook-secret-form";
import { requirePageActor } from "@/lib/auth/session";
import { can } from "@/lib/auth/roles";
import { getChannel } from "@/lib/notifications/queries";
import { channelIdSchema } from "@/lib/notifications/schemas";

export const metadata: Metadata = { title: "Delivery log" };

export default async function ChannelDeliveriesPage({ params }: { params: Promise<{ channelId: string }> }) {
  const actor = await requirePageActor("notifications:read");
  const parsed = channelIdSchema.safeParse(await params);
  if (!parsed.success) notFound();
  const canWrite = can(actor.role, "notifications:write");
  const channel = await getChannel(parsed.data.channelId, { userId: actor.id, full: canWrite });
  if (!channel) notFound();
  const email = channel.kind === "EMAIL";
  return (
    <>
      <PageHeader
        title={`Delivery log: ${channel.name}`}
        description={
          email
            ? "Each event mailed by this channel, newest first, with every attempt's SMTP reply (or error) and latency."
            : "Each event sent to this channel, newest first, with every attempt's HTTP status and latency."
        }
      />
      {email ? <EmailChannelSettings channel={channel} canWrite={canWrite} /> : null}
      {!email && canWrite ? (
        <div className="mb-6 max-w-2xl">
          <Card title="Signing secret">
            <WebhookSecretForm channelId={channel.id} name={channel.name} />
          </Card>
        </div>
      ) : null}
      <Card title={email ? "Delivery log" : undefined}>
        <Suspense fallback={<Skeleton className="h-40" />}>
          <DeliveryLog channelId={channel.id} kind={channel.kind} />
        </Suspense>
      </Card>
    </>
  );
}
