import "server-only";
import type { ActionSpec } from "@/lib/actions/define-action";
import { cancelJob, createJob } from "@/lib/fine-tuning/jobs";
import { createJobSchema, jobIdSchema } from "@/lib/fine-tuning/schemas";

// Admins (fine-tuning:write) create and cancel jobs; each step is audited in lib/fine-tuning/jobs.ts.
// Files are uploaded through the streaming route handlers (app/api/fine-tuning), not an action.

const PATHS = ["/fine-tuning"];

export const createJobSpec: ActionSpec<typeof createJobSchema, { id: string }> = {
  name: "fineTuning.createJob",
  capability: "fine-tuning:write",
  schema: createJobSchema,
  revalidate: PATHS,
  successMessage: "Fine-tuning job created. Its status updates as the provider reports progress.",
  handler: (input, actor) => createJob(input, actor),
};

export const cancelJobSpec: ActionSpec<typeof jobIdSchema, void> = {
  name: "fineTuning.cancelJob",
  capability: "fine-tuning:write",
  schema: jobIdSchema,
  revalidate: (input) => [...PATHS, `/fine-tuning/${input.jobId}`],
  successMessage: "Cancellation sent to the provider.",
  handler: (input, actor) => cancelJob(input.jobId, actor),
};

export const fineTuningActionSpecs = [createJobSpec, cancelJobSpec];
