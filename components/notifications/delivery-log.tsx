import { Badge } from "@/components/ui/card";
import { listDeliveries } from "@/lib/notifications/queries";

const when = (value: Date | null) => (value ? value.toISOString().slice(0, 19).replace("T", " ") + " UTC" : "—");

const STATUS_TONE = { PENDING: "amber", DELIVERED: "green", FAILED: "red" } as const;

/** Each event sent to a channel with every attempt: the HTTP status (webhooks) or SMTP reply code (email). */
export async function DeliveryLog({ channelId, kind = "WEBHOOK" }: { channelId: string; kind?: "WEBHOOK" | "EMAIL" }) {
  const protocol = kind === "EMAIL" ? "SMTP" : "HTTP";
  const deliveries = await listDeliveries(channelId);
  if (deliveries.length === 0) return <p className="text-sm text-slate-600">Nothing sent to this channel yet.</p>;
  return (
    <table className="w-full text-left text-sm">
      <thead className="text-xs uppercase text-slate-500">
        <tr>
          <th className="py-2">Event</th>
          <th>Status</th>
          <th>Attempts ({protocol === "SMTP" ? "SMTP reply" : "HTTP status"}, latency)</th>
          <th>Next attempt</th>
        </tr>
      </thead>
      <tbody className="divide-y divide-slate-100 align-top">
        {deliveries.map((delivery) => (
          <tr key={delivery.id}>
            <td className="py-2">
              <p className="font-medium text-slate-900">{delivery.outbox.kind}</p>
              <p className="font-mono text-xs text-slate-500">{delivery.outbox.id}</p>
              <p className="text-xs text-slate-500">{when(delivery.outbox.occurredAt)}</p>
            </td>
            <td>
              <Badge tone={STATUS_TONE[delivery.status]}>{delivery.status.toLowerCase()}</Badge>
            </td>
            <td>
              <ol className="space-y-0.5 text-xs text-slate-700">
                {delivery.attemptLog.map((attempt) => (
                  <li key={attempt.attempt}>
                    #{attempt.attempt} {when(attempt.at)}:{" "}
                    {attempt.httpStatus === null ? "no answer" : `${protocol} ${attempt.httpStatus}`},{" "}
                    {attempt.latencyMs} ms
                    {attempt.error ? <span className="text-red-700"> ({attempt.error})</span> : null}
                  </li>
                ))}
              </ol>
            </td>
            <td className="text-xs text-slate-600">
              {delivery.status === "PENDING" ? when(delivery.nextAttemptAt) : when(delivery.deliveredAt)}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
