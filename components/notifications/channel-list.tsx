import Link from "@/components/ui/link";
import { Badge } from "@/components/ui/card";
import { ChannelControls, DeleteRuleButton, RuleForm } from "@/components/notifications/channel-controls";
import { EVENT_KIND_LABEL, type EventKind } from "@/lib/notifications/events";
import { listChannels } from "@/lib/notifications/queries";

function kindsLabel(kinds: string[]): string {
  if (kinds.length === 0) return "Every event";
  return kinds.map((kind) => EVENT_KIND_LABEL[kind as EventKind] ?? kind).join(", ");
}

/** Channels with their rules; the full URL is for admins only (a path can carry a token). */
export async function ChannelList({ canWrite }: { canWrite: boolean }) {
  const channels = await listChannels();
  if (channels.length === 0) return <p className="text-sm text-slate-600">No channels yet.</p>;
  return (
    <ul className="divide-y divide-slate-100">
      {channels.map((channel) => (
        <li key={channel.id} className="space-y-3 py-4 first:pt-0">
          <div className="flex flex-wrap items-center justify-between gap-3">
            <div>
              <p className="font-medium text-slate-900">
                {channel.name}{" "}
                {channel.enabled ? <Badge tone="green">Enabled</Badge> : <Badge tone="slate">Disabled</Badge>}{" "}
                <Badge tone="indigo">{channel.format === "SLACK" ? "Slack text" : "JSON"}</Badge>
              </p>
              <p className="break-all font-mono text-xs text-slate-600">
                {canWrite ? channel.url : new URL(channel.url).host}
              </p>
            </div>
            <div className="flex items-center gap-2">
              <Link href={`/notifications/${channel.id}`} className="text-sm text-indigo-700 hover:underline">
                Delivery log
              </Link>
              {canWrite ? (
                <ChannelControls channelId={channel.id} name={channel.name} enabled={channel.enabled} />
              ) : null}
            </div>
          </div>
          <div>
            <p className="text-xs font-semibold uppercase text-slate-500">Rules</p>
            {channel.rules.length === 0 ? (
              <p className="text-sm text-slate-600">No rules: this channel receives only test messages.</p>
            ) : (
              <ul className="space-y-1">
                {channel.rules.map((rule) => (
                  <li key={rule.id} className="flex items-center gap-3 text-sm text-slate-700">
                    <span>
                      {kindsLabel(rule.eventKinds)}, severity {rule.minSeverity.toLowerCase()} and above
                    </span>
                    {canWrite ? <DeleteRuleButton ruleId={rule.id} /> : null}
                  </li>
                ))}
              </ul>
            )}
            {canWrite ? <RuleForm channelId={channel.id} /> : null}
          </div>
        </li>
      ))}
    </ul>
  );
}
