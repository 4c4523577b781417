import { Badge } from "@/components/ui/card";
import { formatPrice } from "@/lib/providers/price";
import { priceStatus } from "@/lib/providers/price-in-force";
import type { PriceRow } from "@/lib/providers/queries";

const day = new Intl.DateTimeFormat("en-GB", { dateStyle: "medium", timeZone: "UTC" });
const dateTime = new Intl.DateTimeFormat("en-GB", { dateStyle: "medium", timeStyle: "short", timeZone: "UTC" });

const STATUS = {
  "in-force": <Badge tone="green">In force</Badge>,
  scheduled: <Badge tone="indigo">Scheduled</Badge>,
  superseded: <Badge tone="slate">Superseded</Badge>,
};

/** Every price row of a model, newest effective date first. */
export function PriceHistory({ prices, now }: { prices: PriceRow[]; now: Date }) {
  if (prices.length === 0)
    return <p className="text-sm text-slate-600">No prices yet: spend for this model cannot be computed.</p>;
  return (
    <div className="-mx-5 -my-5 overflow-x-auto">
      <table className="min-w-full divide-y divide-slate-200 text-sm" aria-label="Price history">
        <thead className="bg-slate-50">
          <tr className="text-left text-xs font-semibold uppercase tracking-wide text-slate-500">
            <th scope="col" className="px-5 py-3">
              Effective from
            </th>
            <th scope="col" className="px-3 py-3 text-right">
              Input / 1M
            </th>
            <th scope="col" className="px-3 py-3 text-right">
              Cached / 1M
            </th>
            <th scope="col" className="px-3 py-3 text-right">
              Output / 1M
            </th>
            <th scope="col" className="px-3 py-3">
              Status
            </th>
            <th scope="col" className="px-5 py-3">
              Recorded
            </th>
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-100">
          {prices.map((price) => (
            <tr key={price.id} className="text-slate-800">
              <td className="px-5 py-3 tabular-nums">{day.format(price.effectiveFrom)}</td>
              <td className="px-3 py-3 text-right tabular-nums">${formatPrice(price.input)}</td>
              <td className="px-3 py-3 text-right tabular-nums">
                {price.cachedInput === null ? "—" : `$${formatPrice(price.cachedInput)}`}
              </td>
              <td className="px-3 py-3 text-right tabular-nums">${formatPrice(price.output)}</td>
              <td className="px-3 py-3">{STATUS[priceStatus(price, prices, now)]}</td>
              <td className="px-5 py-3 text-xs text-slate-500">{dateTime.format(price.createdAt)} UTC</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
