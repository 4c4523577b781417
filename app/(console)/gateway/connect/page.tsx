import type { Metadata } from "next";
import { Suspense } from "react";
import { Card, PageHeader, Skeleton } from "@/components/ui/card";
import Link from "@/components/ui/link";
import { CallableModelList, ConnectSnippets, GatewayBaseUrl } from "@/components/gateway/connect-snippets";
import { requirePageActor } from "@/lib/auth/session";

export const metadata: Metadata = { title: "Connect an application" };

export default async function ConnectPage() {
  await requirePageActor("gateway:read");
  return (
    <>
      <PageHeader
        title="Connect an application"
        description={
          <>
            The gateway speaks the OpenAI API (chat completions, embeddings, models) and Anthropic&apos;s messages API.
            Point an SDK at it with a{" "}
            <Link href="/gateway/keys" className="font-medium text-indigo-600 hover:underline">
              gateway key
            </Link>{" "}
            in place of <code>pcgw-…</code> and a model named <code>provider-slug/model-id</code>.
          </>
        }
      />
      <div className="space-y-6">
        <Card title="Base URL">
          <Suspense fallback={<Skeleton className="h-10" />}>
            <GatewayBaseUrl />
          </Suspense>
        </Card>
        <div className="grid gap-6 xl:grid-cols-2">
          <Card title="Snippets">
            <Suspense fallback={<Skeleton className="h-96" />}>
              <ConnectSnippets />
            </Suspense>
          </Card>
          <Card title="Callable models">
            <Suspense fallback={<Skeleton className="h-64" />}>
              <CallableModelList />
            </Suspense>
          </Card>
        </div>
      </div>
    </>
  );
}
