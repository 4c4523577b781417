"use client";

import { useRouter } from "next/navigation";
import { useId, useState } from "react";
import { buttonClass } from "@/components/ui/button-styles";
import { SelectField } from "@/components/ui/field";
import type { ValidationReport } from "@/lib/fine-tuning/validate";

// Upload of a training or validation file (docs/fine-tuning.md): the browser sends the file twice,
// each time as a stream with an upload progress bar (XMLHttpRequest): first to be validated
// (nothing leaves the console), then, when it passed, to be passed on to the provider with the
// SHA-256 the first pass computed. Line-numbered errors are listed next to the field.

type Phase = "idle" | "validating" | "uploading" | "done" | "failed";
type Answer = {
  ok: boolean;
  message?: string;
  report?: ValidationReport;
  file?: { fileName: string; providerFileId: string };
};

function send(
  url: string,
  file: File,
  onProgress: (fraction: number) => void,
): Promise<{ status: number; body: Answer }> {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open("POST", url);
    xhr.setRequestHeader("content-type", "application/octet-stream");
    xhr.upload.onprogress = (event) => {
      if (event.lengthComputable) onProgress(event.loaded / event.total);
    };
    xhr.onload = () => {
      let body: Answer;
      try {
        body = JSON.parse(xhr.responseText) as Answer;
      } catch {
        body = { ok: false, message: `The console answered HTTP ${xhr.status}.` };
      }
      resolve({ status: xhr.status, body });
    };
    xhr.onerror = () => reject(new Error("The connection failed during the upload."));
    xhr.send(file);
  });
}

const mb = (bytes: number) => `${(bytes / (1024 * 1024)).toFixed(bytes < 1024 * 1024 ? 2 : 1)} MB`;

export function UploadForm({ providers }: { providers: { id: string; label: string }[] }) {
  const router = useRouter();
  const fileId = useId();
  const [providerId, setProviderId] = useState(providers[0]?.id ?? "");
  const [purpose, setPurpose] = useState<"training" | "validation">("training");
  const [file, setFile] = useState<File | null>(null);
  const [phase, setPhase] = useState<Phase>("idle");
  const [progress, setProgress] = useState(0);
  const [answer, setAnswer] = useState<Answer | null>(null);
  const busy = phase === "validating" || phase === "uploading";

  async function submit(event: React.FormEvent) {
    event.preventDefault();
    if (!file || busy) return;
    setAnswer(null);
    const query = new URLSearchParams({ providerId, purpose, fileName: file.name });
    try {
      setPhase("validating");
      setProgress(0);
      const checked = await send(`/api/fine-tuning/validate?${query}`, file, setProgress);
      if (!checked.body.ok || !checked.body.report?.ok) {
        setAnswer(checked.body);
        setPhase("failed");
        return;
      }
      setPhase("uploading");
      setProgress(0);
      query.set("sha256", checked.body.report.sha256);
      const uploaded = await send(`/api/fine-tuning/files?${query}`, file, setProgress);
      setAnswer(uploaded.body);
      setPhase(uploaded.body.ok ? "done" : "failed");
      if (uploaded.body.ok) router.refresh();
    } catch (error) {
      setAnswer({ ok: false, message: error instanceof Error ? error.message : "The upload failed." });
      setPhase("failed");
    }
  }

  const report = answer?.report;
  const errors = report ? [...report.fileErrors, ...report.errors.map((error) => error.message)] : [];
  return (
    <form onSubmit={submit} className="space-y-4" aria-busy={busy} aria-label="Upload a fine-tuning file">
      <div className="grid gap-4 sm:grid-cols-2">
        <SelectField
          name="providerId"
          id="upload-providerId"
          label="Provider"
          value={providerId}
          onChange={(event) => setProviderId(event.target.value)}
          options={providers.map((p) => ({ value: p.id, label: p.label }))}
        />
        <SelectField
          name="purpose"
          id="upload-purpose"
          label="Purpose"
          value={purpose}
          onChange={(event) => setPurpose(event.target.value as "training" | "validation")}
          options={[
            { value: "training", label: "Training file" },
            { value: "validation", label: "Validation file" },
          ]}
        />
      </div>
      <div className="space-y-1">
        <label htmlFor={fileId} className="block text-sm font-medium text-slate-700">
          JSONL file (chat format, up to 200 MB)
        </label>
        <input
          id={fileId}
          name="file"
          type="file"
          accept=".jsonl,application/jsonl,application/x-ndjson"
          onChange={(event) => {
            setFile(event.target.files?.[0] ?? null);
            setAnswer(null);
            setPhase("idle");
          }}
          aria-describedby={errors.length ? `${fileId}-errors` : undefined}
          aria-invalid={errors.length ? true : undefined}
          className="block text-sm"
        />
        <p className="text-xs text-slate-500">
          One example per line: {"{"}&quot;messages&quot;: [{"{"}&quot;role&quot;: &quot;user&quot;,
          &quot;content&quot;: …{"}"}, {"{"}
          &quot;role&quot;: &quot;assistant&quot;, &quot;content&quot;: …{"}"}]{"}"}. The console keeps no copy.
        </p>
        {errors.length ? (
          <div
            id={`${fileId}-errors`}
            role="alert"
            className="rounded-md bg-red-50 p-3 text-sm text-red-800 ring-1 ring-red-200"
          >
            <p className="font-medium">{answer?.message ?? "The file has errors; nothing was sent to the provider."}</p>
            <ul className="mt-1 list-disc pl-5" data-testid="fine-tune-errors">
              {errors.map((message, index) => (
                <li key={index}>{message}</li>
              ))}
            </ul>
            {report && report.moreErrors > 0 ? <p className="mt-1">…and {report.moreErrors} more.</p> : null}
          </div>
        ) : null}
      </div>
      {busy ? (
        <div>
          <p className="text-sm text-slate-700">
            {phase === "validating" ? "Validating" : "Uploading to the provider"}: {Math.round(progress * 100)} %
          </p>
          <progress className="w-full" max={1} value={progress} aria-label="Upload progress" />
        </div>
      ) : null}
      {answer && !errors.length && !answer.ok ? (
        <p role="alert" className="rounded-md bg-red-50 px-3 py-2 text-sm text-red-800 ring-1 ring-red-200">
          {answer.message ?? "The upload failed."}
        </p>
      ) : null}
      {phase === "done" && report && answer?.file ? (
        <p
          role="status"
          className="rounded-md bg-emerald-50 px-3 py-2 text-sm text-emerald-800 ring-1 ring-emerald-200"
        >
          Uploaded {answer.file.fileName}: {mb(report.bytes)}, {report.examples.toLocaleString("en-US")} examples,{" "}
          {report.tokens.toLocaleString("en-US")} tokens (provider file {answer.file.providerFileId}).
        </p>
      ) : null}
      <button type="submit" className={buttonClass("primary")} disabled={!file || !providerId || busy}>
        {busy ? "Working…" : "Validate and upload"}
      </button>
    </form>
  );
}
