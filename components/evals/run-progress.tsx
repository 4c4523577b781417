import type { RunProgress } from "@/lib/evals/queries";

export function RunProgressBar({ progress }: { progress: RunProgress }) {
  const finished = progress.done + progress.failed;
  const percent = progress.total ? Math.round((finished / progress.total) * 100) : 0;
  return (
    <div className="space-y-1">
      <div
        role="progressbar"
        aria-label="Cases finished"
        aria-valuemin={0}
        aria-valuemax={progress.total}
        aria-valuenow={finished}
        className="h-3 w-full overflow-hidden rounded-full bg-slate-100"
      >
        <div className="h-full bg-indigo-500 transition-all" style={{ width: `${percent}%` }} />
      </div>
      <p className="text-xs text-slate-600" data-testid="run-progress">
        {finished} of {progress.total} finished ({percent} %) · {progress.failed} failed · {progress.running} in flight
        · {progress.pending} waiting
      </p>
    </div>
  );
}
