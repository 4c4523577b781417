import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { Card, PageHeader } from "@/components/ui/card";
import Link from "@/components/ui/link";
import { ImportVersionForm } from "@/components/evals/dataset-forms";
import { CaseEditor, DeleteCaseButton } from "@/components/evals/case-editor";
import { requirePageActor } from "@/lib/auth/session";
import { can } from "@/lib/auth/roles";
import { getDataset } from "@/lib/evals/queries";
import { datasetIdSchema } from "@/lib/evals/schemas";

export const metadata: Metadata = { title: "Dataset" };

const PAGE_SIZE = 50;

export default async function DatasetPage({
  params,
  searchParams,
}: {
  params: Promise<{ datasetId: string }>;
  searchParams: Promise<{ version?: string | string[]; page?: string | string[] }>;
}) {
  const actor = await requirePageActor("evals:read");
  const parsed = datasetIdSchema.safeParse(await params);
  if (!parsed.success) notFound();
  const search = await searchParams;
  const requested = Number(search.version);
  const dataset = await getDataset(
    parsed.data.datasetId,
    Number.isInteger(requested) && requested > 0 ? requested : undefined,
  );
  if (!dataset || !dataset.shown || !dataset.latest) notFound();
  const isLatest = dataset.shown.version === dataset.latest.version;
  const pages = Math.max(1, Math.ceil(dataset.cases.length / PAGE_SIZE));
  const page = Math.min(Math.max(1, Math.trunc(Number(search.page)) || 1), pages);
  const shownCases = dataset.cases.slice((page - 1) * PAGE_SIZE, page * PAGE_SIZE);
  const pageHref = (to: number) => `/evals/datasets/${dataset.id}?version=${dataset.shown!.version}&page=${to}`;
  const canWrite = can(actor.role, "evals:write") && isLatest;
  return (
    <>
      <PageHeader
        title={`Dataset: ${dataset.name}`}
        description={`Version ${dataset.shown.version} of ${dataset.latest.version}, ${dataset.cases.length} cases. Versions never change: every edit saves a new one, so earlier runs stay comparable.`}
      />
      <div className="grid gap-6 lg:grid-cols-3">
        <div className="space-y-4 lg:col-span-2">
          {pages > 1 ? (
            <nav aria-label="Case pages" className="flex items-center gap-3 text-sm">
              {page > 1 ? (
                <Link href={pageHref(page - 1)} className="text-indigo-700 hover:underline">
                  Previous
                </Link>
              ) : null}
              <span>
                Cases {(page - 1) * PAGE_SIZE + 1}–{Math.min(page * PAGE_SIZE, dataset.cases.length)} of{" "}
                {dataset.cases.length}
              </span>
              {page < pages ? (
                <Link href={pageHref(page + 1)} className="text-indigo-700 hover:underline">
                  Next
                </Link>
              ) : null}
            </nav>
          ) : null}
          {shownCases.map((item) => (
            <Card key={item.id} title={`Case ${item.position + 1}`}>
              {canWrite ? (
                <div className="space-y-3">
                  <CaseEditor datasetId={dataset.id} baseVersion={dataset.latest!.version} item={item} />
                  <DeleteCaseButton
                    datasetId={dataset.id}
                    baseVersion={dataset.latest!.version}
                    caseKey={item.caseKey}
                  />
                </div>
              ) : (
                <dl className="space-y-2 text-sm">
                  <dt className="font-medium text-slate-700">Input</dt>
                  <dd className="whitespace-pre-wrap">{item.prompt ?? JSON.stringify(item.messages, null, 2)}</dd>
                  <dt className="font-medium text-slate-700">Expected</dt>
                  <dd className="whitespace-pre-wrap">{item.expectedOutput || "—"}</dd>
                  {Object.keys(item.metadata).length ? (
                    <>
                      <dt className="font-medium text-slate-700">Metadata</dt>
                      <dd className="font-mono text-xs">{JSON.stringify(item.metadata)}</dd>
                    </>
                  ) : null}
                </dl>
              )}
            </Card>
          ))}
        </div>
        <div className="space-y-6">
          <Card title="Versions">
            <ul className="space-y-1 text-sm">
              {dataset.versions.map((version) => (
                <li key={version.id}>
                  <Link
                    href={`/evals/datasets/${dataset.id}?version=${version.version}`}
                    className="text-indigo-700 hover:underline"
                  >
                    v{version.version}
                  </Link>{" "}
                  · {version.caseCount} cases · {version.comment || "—"} ·{" "}
                  <span className="text-xs text-slate-500">
                    {version.createdAt.toISOString().slice(0, 16).replace("T", " ")}
                  </span>
                </li>
              ))}
            </ul>
          </Card>
          {canWrite ? (
            <>
              <Card title="Add a case">
                <CaseEditor datasetId={dataset.id} baseVersion={dataset.latest.version} />
              </Card>
              <Card title="Import a new version">
                <ImportVersionForm datasetId={dataset.id} />
              </Card>
            </>
          ) : null}
        </div>
      </div>
    </>
  );
}
