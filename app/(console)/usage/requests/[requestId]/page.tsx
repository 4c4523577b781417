import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { Card, PageHeader } from "@/components/ui/card";
import Link from "@/components/ui/link";
import { RequestAttemptsTable, RequestFacts } from "@/components/usage/request-detail";
import { requirePageActor } from "@/lib/auth/session";
import { getRequestDetail } from "@/lib/usage/request-detail";

export const metadata: Metadata = { title: "Gateway request" };

export default async function RequestDetailPage({ params }: { params: Promise<{ requestId: string }> }) {
  await requirePageActor("usage:read");
  const { requestId } = await params;
  const detail = await getRequestDetail(decodeURIComponent(requestId));
  if (!detail) notFound();
  return (
    <>
      <PageHeader
        title="Gateway request"
        description={
          <>
            <span className="font-mono">{detail.record.requestId}</span> ·{" "}
            <Link href="/usage" className="font-medium text-indigo-600 hover:underline">
              Usage log
            </Link>
          </>
        }
      />
      <div className="space-y-6">
        <Card title="Usage record">
          <RequestFacts record={detail.record} />
        </Card>
        <Card title={`Attempts (${detail.attempts.length})`}>
          <RequestAttemptsTable attempts={detail.attempts} />
        </Card>
      </div>
    </>
  );
}
