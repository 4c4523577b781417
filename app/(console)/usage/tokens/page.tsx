import type { Metadata } from "next";
import { Suspense } from "react";
import { Card, PageHeader, Skeleton } from "@/components/ui/card";
import { CreateIngestTokenForm } from "@/components/usage/create-ingest-token-form";
import { IngestTokenTable } from "@/components/usage/ingest-token-table";
import { requirePageActor } from "@/lib/auth/session";

export const metadata: Metadata = { title: "Ingest tokens" };

export default async function IngestTokensPage() {
  await requirePageActor("settings:write");
  return (
    <>
      <PageHeader
        title="Ingest tokens"
        description={
          <>
            Applications that call providers themselves report usage to <code>POST /api/v1/usage</code> with one of
            these tokens. Only a hash is stored: a token is shown once, when it is created.
          </>
        }
      />
      <div className="grid gap-6 lg:grid-cols-3">
        <Card title="New token" className="lg:col-span-1">
          <CreateIngestTokenForm />
        </Card>
        <Card title="Tokens" className="lg:col-span-2">
          <Suspense fallback={<Skeleton className="h-40" />}>
            <IngestTokenTable />
          </Suspense>
        </Card>
      </div>
    </>
  );
}
