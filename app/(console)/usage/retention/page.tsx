import type { Metadata } from "next";
import { Suspense } from "react";
import { Card, PageHeader, Skeleton } from "@/components/ui/card";
import { RetentionSettingForm, RunRetentionForm } from "@/components/usage/retention-forms";
import { requirePageActor } from "@/lib/auth/session";
import { cutoffFor, getRetentionSettings, rawRecordSpan } from "@/lib/usage/retention";

export const metadata: Metadata = { title: "Usage retention" };

async function RawRecordSummary({ retentionDays }: { retentionDays: number | null }) {
  await requirePageActor("settings:write");
  const cutoff = retentionDays ? cutoffFor(retentionDays) : null;
  const span = await rawRecordSpan(cutoff);
  return (
    <dl className="grid grid-cols-2 gap-2 text-sm">
      <dt className="text-slate-600">Raw records (estimate)</dt>
      <dd data-testid="raw-total">{span.total.toLocaleString("en-US")}</dd>
      <dt className="text-slate-600">Oldest raw record</dt>
      <dd>{span.oldest ? span.oldest.toISOString().slice(0, 16).replace("T", " ") + " UTC" : "none"}</dd>
      {cutoff ? (
        <>
          <dt className="text-slate-600">Older than {cutoff.toISOString().slice(0, 10)}</dt>
          <dd data-testid="raw-older">
            {span.olderThanCutoff !== null && span.olderThanCutoff > 10_000
              ? "more than 10,000"
              : (span.olderThanCutoff ?? 0).toLocaleString("en-US")}
          </dd>
        </>
      ) : null}
    </dl>
  );
}

export default async function RetentionPage() {
  await requirePageActor("settings:write");
  const settings = await getRetentionSettings();
  return (
    <>
      <PageHeader
        title="Usage retention"
        description="Raw usage records older than the retention period are deleted in batches. Hourly and daily rollups keep the history: spend and latency charts for those days stay as they were, while the usage log and raw exports no longer have the rows."
      />
      <div className="grid gap-6 lg:grid-cols-2">
        <Card title="Retention">
          <RetentionSettingForm retentionDays={settings.retentionDays} />
        </Card>
        <Card title="Raw records now">
          <Suspense fallback={<Skeleton className="h-24" />}>
            <RawRecordSummary retentionDays={settings.retentionDays} />
          </Suspense>
          <div className="mt-6 border-t border-slate-100 pt-4">
            <RunRetentionForm defaultDays={settings.retentionDays} />
          </div>
        </Card>
      </div>
    </>
  );
}
