import type { Metadata } from "next";
import { Suspense } from "react";
import { Card, PageHeader, Skeleton } from "@/components/ui/card";
import { PlaygroundClient } from "@/components/playground/playground-client";
import { TranscriptList } from "@/components/playground/transcript-list";
import { TranscriptSettingsForm } from "@/components/playground/transcript-settings-form";
import { can } from "@/lib/auth/roles";
import { requirePageActor } from "@/lib/auth/session";
import { getTestCallSettings } from "@/lib/health-checks/settings";
import { playgroundCatalog } from "@/lib/playground/catalog";

export const metadata: Metadata = { title: "Playground" };

async function Playground({ canSend }: { canSend: boolean }) {
  await requirePageActor("providers:read");
  return <PlaygroundClient providers={await playgroundCatalog()} canSend={canSend} />;
}

async function Transcripts() {
  await requirePageActor("settings:write");
  const settings = await getTestCallSettings();
  return (
    <div className="grid gap-6 lg:grid-cols-3">
      <Card title="Transcripts">
        <TranscriptSettingsForm storeTranscripts={settings.storePlaygroundTranscripts} />
      </Card>
      {settings.storePlaygroundTranscripts ? (
        <div className="lg:col-span-2">
          <TranscriptList />
        </div>
      ) : null}
    </div>
  );
}

export default async function PlaygroundPage() {
  const actor = await requirePageActor("providers:read");
  const canSend = can(actor.role, "providers:write");
  return (
    <>
      <PageHeader
        title="Playground"
        description="Send one prompt to one or several models and compare answers, latency, first-token time, tokens and cost."
      />
      {!canSend ? (
        <p role="note" className="mb-6 rounded-md bg-amber-50 px-4 py-3 text-sm text-amber-900 ring-1 ring-amber-200">
          Read-only: every prompt is a paid call on the organisation&apos;s keys, so only admins can send them.
        </p>
      ) : null}
      <div className="space-y-6">
        <Suspense fallback={<Skeleton className="h-72" />}>
          <Playground canSend={canSend} />
        </Suspense>
        {can(actor.role, "settings:write") ? (
          <Suspense fallback={<Skeleton className="h-32" />}>
            <Transcripts />
          </Suspense>
        ) : null}
      </div>
    </>
  );
}
