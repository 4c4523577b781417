import { Card } from "@/components/ui/card";
import { formatPrice } from "@/lib/providers/price";
import { scheduledPrices } from "@/lib/providers/price-in-force";
import type { ModelRow } from "@/lib/providers/queries";

const day = new Intl.DateTimeFormat("en-GB", { dateStyle: "medium", timeZone: "UTC" });

function Price({ label, value }: { label: string; value: string | null }) {
  return (
    <div className="flex items-baseline justify-between gap-4">
      <dt className="text-sm text-slate-600">{label}</dt>
      <dd className="text-lg font-semibold tabular-nums text-slate-900">
        {value === null ? "—" : `$${formatPrice(value)}`}
      </dd>
    </div>
  );
}

/** The price in force now, per 1M tokens, and the next scheduled change if any. */
export function CurrentPriceCard({ model, now }: { model: ModelRow; now: Date }) {
  const next = scheduledPrices(model.prices, now)[0];
  return (
    <Card title="Price in force now">
      {model.current ? (
        <dl className="space-y-2" aria-label="Price in force now, USD per 1M tokens">
          <Price label="Input / 1M" value={model.current.input} />
          <Price label="Cached input / 1M" value={model.current.cachedInput} />
          <Price label="Output / 1M" value={model.current.output} />
          <p className="pt-1 text-xs text-slate-500">USD, since {day.format(model.current.effectiveFrom)}.</p>
        </dl>
      ) : (
        <p className="text-sm text-amber-800">No price in force{next ? " yet" : ""}.</p>
      )}
      {next ? (
        <p className="mt-3 text-xs text-indigo-700">Changes on {day.format(next.effectiveFrom)} (scheduled).</p>
      ) : null}
    </Card>
  );
}
