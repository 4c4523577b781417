import { Card } from "@/components/ui/card";
import { SmtpPasswordForm } from "@/components/notifications/channel-controls";
import { TLS_LABEL } from "@/components/notifications/channel-list";
import type { ChannelRow } from "@/lib/notifications/queries";

/** An email channel's SMTP settings: whether a password is set, never the password itself. */
export function EmailChannelSettings({ channel, canWrite }: { channel: ChannelRow; canWrite: boolean }) {
  const rows: [string, string][] = [
    ["SMTP server", `${channel.smtpHost}:${channel.smtpPort}`],
    ["TLS", channel.smtpTls ? TLS_LABEL[channel.smtpTls] : "—"],
    ["From", channel.fromAddress ?? "—"],
    ...(canWrite ? ([["User name", channel.smtpUsername ?? "none"]] as [string, string][]) : []),
    ["Password", channel.passwordSet ? "set (sealed, not shown)" : "none"],
    ["Self-subscription", channel.selfSubscribe ? "open to finance" : "closed"],
  ];
  return (
    <div className="mb-6 grid gap-6 lg:grid-cols-3">
      <Card title="SMTP settings" className={canWrite ? "lg:col-span-2" : "lg:col-span-3"}>
        <dl className="grid grid-cols-[max-content_1fr] gap-x-6 gap-y-1 text-sm">
          {rows.map(([label, value]) => (
            <div key={label} className="contents">
              <dt className="text-slate-500">{label}</dt>
              <dd className="break-all font-mono text-slate-900" data-testid={`smtp-${label.toLowerCase()}`}>
                {value}
              </dd>
            </div>
          ))}
        </dl>
      </Card>
      {canWrite ? (
        <Card title="Replace password" className="lg:col-span-1">
          <SmtpPasswordForm channelId={channel.id} username={channel.smtpUsername} />
        </Card>
      ) : null}
    </div>
  );
}
