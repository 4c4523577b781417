"use client";

import { useActionState, useEffect } from "react";
import { useRouter } from "next/navigation";
import { SubmitButton } from "@/components/ui/button";
import { FormMessage } from "@/components/ui/form-message";
import { cancelRun, resumeRun, startRun } from "@/app/(console)/evals/actions";

type Status = "DRAFT" | "RUNNING" | "CANCELLED" | "DONE";

function RunAction({
  runId,
  act,
  label,
  variant,
}: {
  runId: string;
  act: typeof startRun;
  label: string;
  variant?: "secondary" | "danger";
}) {
  const [state, action] = useActionState(act, undefined);
  return (
    <form action={action} className="space-y-2">
      <input type="hidden" name="runId" value={runId} />
      <SubmitButton variant={variant} pendingLabel="…">
        {label}
      </SubmitButton>
      <FormMessage state={state} />
    </form>
  );
}

/** Start / cancel / resume for admins. */
export function RunControls({ runId, status }: { runId: string; status: Status }) {
  if (status === "DRAFT") return <RunAction runId={runId} act={startRun} label="Start run" />;
  if (status === "RUNNING") return <RunAction runId={runId} act={cancelRun} label="Cancel" variant="danger" />;
  if (status === "CANCELLED") return <RunAction runId={runId} act={resumeRun} label="Resume" />;
  return null;
}

/** While a run is live the page re-reads itself every two seconds (results live in PostgreSQL). */
export function RunPoller({ live }: { live: boolean }) {
  const router = useRouter();
  useEffect(() => {
    if (!live) return;
    const timer = setInterval(() => router.refresh(), 2_000);
    return () => clearInterval(timer);
  }, [live, router]);
  return null;
}
