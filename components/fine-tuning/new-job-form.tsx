"use client";

import { useActionState, useState } from "react";
import { SubmitButton } from "@/components/ui/button";
import { SelectField, TextField } from "@/components/ui/field";
import { FormMessage } from "@/components/ui/form-message";
import { createFineTuneJob } from "@/app/(console)/fine-tuning/actions";
import { AUTO_EPOCHS_ESTIMATE, trainingCost } from "@/lib/fine-tuning/cost";
import { formatCost } from "@/lib/calls/outcome";

type Provider = { id: string; label: string };
type BaseModel = { id: string; providerId: string; modelId: string; trainingPerMTok: string | null };
type File = { id: string; providerId: string; purpose: "TRAINING" | "VALIDATION"; label: string; tokenCount: number };

/** New job: provider, base model, files, suffix and hyperparameters, with the cost estimate. */
export function NewJobForm({
  providers,
  models,
  files,
}: {
  providers: Provider[];
  models: BaseModel[];
  files: File[];
}) {
  const [state, action] = useActionState(createFineTuneJob, undefined);
  const [providerId, setProviderId] = useState(providers[0]?.id ?? "");
  const providerModels = models.filter((model) => model.providerId === providerId);
  const training = files.filter((file) => file.providerId === providerId && file.purpose === "TRAINING");
  const validation = files.filter((file) => file.providerId === providerId && file.purpose === "VALIDATION");
  const [modelId, setModelId] = useState("");
  const [trainingId, setTrainingId] = useState("");
  const [epochs, setEpochs] = useState("");
  const model = providerModels.find((m) => m.id === modelId) ?? providerModels[0];
  const file = training.find((f) => f.id === trainingId) ?? training[0];
  const epochCount = /^\d{1,2}$/.test(epochs) && Number(epochs) > 0 ? Number(epochs) : AUTO_EPOCHS_ESTIMATE;
  const estimate = model && file ? trainingCost(file.tokenCount, epochCount, model.trainingPerMTok) : undefined;
  const errors = state?.fieldErrors ?? {};
  return (
    <form action={action} className="space-y-4" aria-label="New fine-tuning job">
      <div className="grid gap-4 sm:grid-cols-2">
        <SelectField
          name="providerId"
          id="job-providerId"
          label="Provider"
          value={providerId}
          onChange={(event) => setProviderId(event.target.value)}
          options={providers.map((p) => ({ value: p.id, label: p.label }))}
          errors={errors.providerId}
        />
        <SelectField
          name="baseModelId"
          label="Base model"
          value={model?.id ?? ""}
          onChange={(event) => setModelId(event.target.value)}
          options={providerModels.map((m) => ({ value: m.id, label: m.modelId }))}
          errors={errors.baseModelId}
        />
        <SelectField
          name="trainingFileId"
          label="Training file"
          value={file?.id ?? ""}
          onChange={(event) => setTrainingId(event.target.value)}
          options={training.map((f) => ({ value: f.id, label: f.label }))}
          errors={errors.trainingFileId}
          hint={training.length ? undefined : "Upload a training file to this provider first."}
        />
        <SelectField
          name="validationFileId"
          label="Validation file (optional)"
          defaultValue=""
          options={[{ value: "", label: "None" }, ...validation.map((f) => ({ value: f.id, label: f.label }))]}
          errors={errors.validationFileId}
        />
        <TextField
          name="suffix"
          label="Suffix"
          placeholder="support-bot"
          maxLength={40}
          errors={errors.suffix}
          hint="Part of the fine-tuned model's name."
        />
        <TextField
          name="epochs"
          label="Epochs"
          inputMode="numeric"
          placeholder="auto"
          value={epochs}
          onChange={(event) => setEpochs(event.target.value)}
          errors={errors.epochs}
        />
        <TextField
          name="learningRateMultiplier"
          label="Learning-rate multiplier"
          placeholder="auto"
          inputMode="decimal"
          errors={errors.learningRateMultiplier}
        />
        <TextField
          name="batchSize"
          label="Batch size"
          placeholder="auto"
          inputMode="numeric"
          errors={errors.batchSize}
        />
      </div>
      <p className="text-sm text-slate-700" data-testid="fine-tune-estimate">
        Estimated training cost:{" "}
        {estimate === undefined
          ? "choose a base model and a training file"
          : `${formatCost(estimate)}${estimate === null ? " (the base model has no training price)" : ""}`}
        {file && estimate !== undefined
          ? ` — ${file.tokenCount.toLocaleString("en-US")} tokens × ${epochCount} epoch${epochCount === 1 ? "" : "s"}${epochs ? "" : " (auto: estimated as 3)"}`
          : ""}
      </p>
      <FormMessage state={state} />
      <SubmitButton pendingLabel="Creating…" disabled={!model || !file}>
        Create fine-tuning job
      </SubmitButton>
    </form>
  );
}
