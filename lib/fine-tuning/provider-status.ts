// OpenAI's fine-tuning job statuses and the console's (FineTuneStatus).

export const FINE_TUNE_STATUSES = ["VALIDATING", "QUEUED", "RUNNING", "SUCCEEDED", "FAILED", "CANCELLED"] as const;
export type FineTuneStatusName = (typeof FINE_TUNE_STATUSES)[number];
export const FINISHED_STATUSES: readonly FineTuneStatusName[] = ["SUCCEEDED", "FAILED", "CANCELLED"];

const MAP: Record<string, FineTuneStatusName> = {
  validating_files: "VALIDATING",
  queued: "QUEUED",
  running: "RUNNING",
  succeeded: "SUCCEEDED",
  failed: "FAILED",
  cancelled: "CANCELLED",
};

/** The console status for a provider's; an unknown one keeps the job as it was (null). */
export function statusFromProvider(status: unknown): FineTuneStatusName | null {
  return typeof status === "string" ? (MAP[status] ?? null) : null;
}

export const STATUS_LABEL: Record<FineTuneStatusName, string> = {
  VALIDATING: "Validating",
  QUEUED: "Queued",
  RUNNING: "Running",
  SUCCEEDED: "Succeeded",
  FAILED: "Failed",
  CANCELLED: "Cancelled",
};
