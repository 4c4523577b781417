import Link from "@/components/ui/link";
import { Badge } from "@/components/ui/card";
import {
  ChannelControls,
  DeleteRuleButton,
  RuleForm,
  SelfSubscribeToggle,
  SubscribeButton,
} from "@/components/notifications/channel-controls";
import { EVENT_KIND_LABEL, type EventKind } from "@/lib/notifications/events";
import { listChannels, type ChannelRow, type RuleView } from "@/lib/notifications/queries";

function kindsLabel(kinds: string[]): string {
  if (kinds.length === 0) return "Every event";
  return kinds.map((kind) => EVENT_KIND_LABEL[kind as EventKind] ?? kind).join(", ");
}

export const TLS_LABEL = { STARTTLS: "STARTTLS required", IMPLICIT: "implicit TLS", NONE: "no TLS" } as const;

/** One line naming where a channel sends: the URL (its host for non-admins) or the SMTP server. */
export function channelTarget(channel: ChannelRow): string {
  if (channel.kind === "EMAIL")
    return `${channel.smtpHost}:${channel.smtpPort} · ${channel.smtpTls ? TLS_LABEL[channel.smtpTls] : ""} · from ${channel.fromAddress}`;
  return channel.url ?? "";
}

function ruleLabel(rule: RuleView, email: boolean): string {
  const base = `${kindsLabel(rule.eventKinds)}, severity ${rule.minSeverity.toLowerCase()} and above`;
  if (rule.mine) return `${base}: your subscription`;
  if (rule.subscriber) return `${base}: subscription of ${rule.subscriber}`;
  if (!email) return base;
  if (rule.recipients.length > 0) return `${base}, to ${rule.recipients.join(", ")}`;
  return `${base}, to ${rule.recipientCount} ${rule.recipientCount === 1 ? "recipient" : "recipients"}`;
}

/**
 * Channels with their rules. Admins see everything and manage it; finance and viewers see each
 * rule's events (no recipients, no one else's subscription) and finance can subscribe themselves
 * on channels an admin opened for it.
 */
export async function ChannelList({
  canWrite,
  canSubscribe = false,
  userId = null,
}: {
  canWrite: boolean;
  canSubscribe?: boolean;
  userId?: string | null;
}) {
  const channels = await listChannels({ userId, full: canWrite });
  if (channels.length === 0) return <p className="text-sm text-slate-600">No channels yet.</p>;
  return (
    <ul className="divide-y divide-slate-100">
      {channels.map((channel) => {
        const email = channel.kind === "EMAIL";
        return (
          <li key={channel.id} className="space-y-3 py-4 first:pt-0">
            <div className="flex flex-wrap items-center justify-between gap-3">
              <div>
                <p className="font-medium text-slate-900">
                  {channel.name}{" "}
                  {channel.enabled ? <Badge tone="green">Enabled</Badge> : <Badge tone="slate">Disabled</Badge>}{" "}
                  <Badge tone="indigo">{email ? "Email" : channel.format === "SLACK" ? "Slack text" : "JSON"}</Badge>{" "}
                  {email && channel.selfSubscribe ? <Badge tone="amber">Open for subscriptions</Badge> : null}
                </p>
                <p className="break-all font-mono text-xs text-slate-600">{channelTarget(channel)}</p>
              </div>
              <div className="flex items-center gap-2">
                <Link href={`/notifications/${channel.id}`} className="text-sm text-indigo-700 hover:underline">
                  {email && canWrite ? "Settings and delivery log" : "Delivery log"}
                </Link>
                {canWrite ? (
                  <ChannelControls channelId={channel.id} name={channel.name} enabled={channel.enabled} />
                ) : null}
              </div>
            </div>
            {email && canSubscribe && channel.selfSubscribe ? (
              <SubscribeButton channelId={channel.id} subscribed={channel.subscribed} />
            ) : null}
            <div>
              <p className="text-xs font-semibold uppercase text-slate-500">Rules</p>
              {channel.rules.length === 0 ? (
                <p className="text-sm text-slate-600">No rules: this channel receives only test messages.</p>
              ) : (
                <ul className="space-y-1">
                  {channel.rules.map((rule) => (
                    <li key={rule.id} className="flex items-center gap-3 text-sm text-slate-700">
                      <span className="break-all">{ruleLabel(rule, email)}</span>
                      {canWrite ? <DeleteRuleButton ruleId={rule.id} /> : null}
                    </li>
                  ))}
                </ul>
              )}
              {channel.otherSubscribers > 0 ? (
                <p className="text-xs text-slate-500">
                  and {channel.otherSubscribers} other {channel.otherSubscribers === 1 ? "subscriber" : "subscribers"}
                </p>
              ) : null}
              {canWrite && email ? (
                <div className="mt-2">
                  <SelfSubscribeToggle channelId={channel.id} open={channel.selfSubscribe} />
                </div>
              ) : null}
              {canWrite ? <RuleForm channelId={channel.id} email={email} /> : null}
            </div>
          </li>
        );
      })}
    </ul>
  );
}
