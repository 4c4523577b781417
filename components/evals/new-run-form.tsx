"use client";

import { useActionState, useState } from "react";
import Link from "@/components/ui/link";
import { SubmitButton } from "@/components/ui/button";
import { SelectField, TextAreaField, TextField } from "@/components/ui/field";
import { FormMessage } from "@/components/ui/form-message";
import { createRun } from "@/app/(console)/evals/actions";
import { SCORER_KINDS, SCORER_LABEL, type ScorerKind } from "@/lib/evals/scorer-kinds";
import type { RunFormOptions } from "@/lib/evals/queries";

type ScorerDraft = {
  kind: ScorerKind;
  ignoreCase: boolean;
  ignoreWhitespace: boolean;
  ignorePunctuation: boolean;
  needle: string;
  pattern: string;
  flags: string;
  schema: string;
  tolerance: string;
  relative: boolean;
  rubric: string;
  judge: string;
  maxScore: string;
  passScore: string;
};

const blank = (kind: ScorerKind): ScorerDraft => ({
  kind,
  ignoreCase: false,
  ignoreWhitespace: true,
  ignorePunctuation: false,
  needle: "",
  pattern: "",
  flags: "",
  schema: '{"type": "object"}',
  tolerance: "0",
  relative: false,
  rubric: "",
  judge: "",
  maxScore: "10",
  passScore: "7",
});

// Only the fields of the scorer's kind are posted (the schema refuses unknown shapes per kind).
function configOf(draft: ScorerDraft): Record<string, unknown> {
  const normalise = {
    ignoreCase: draft.ignoreCase,
    ignoreWhitespace: draft.ignoreWhitespace,
    ignorePunctuation: draft.ignorePunctuation,
  };
  switch (draft.kind) {
    case "EXACT_MATCH":
      return { kind: draft.kind, ...normalise };
    case "CONTAINS":
      return { kind: draft.kind, ...normalise, needle: draft.needle };
    case "REGEX":
      return { kind: draft.kind, pattern: draft.pattern, flags: draft.flags };
    case "VALID_JSON":
      return { kind: draft.kind };
    case "JSON_SCHEMA":
      return { kind: draft.kind, schema: draft.schema };
    case "NUMBER_TOLERANCE":
      return { kind: draft.kind, tolerance: Number(draft.tolerance), relative: draft.relative };
    case "LLM_JUDGE": {
      const [providerId = "", modelId = ""] = draft.judge.split(":");
      return {
        kind: draft.kind,
        rubric: draft.rubric,
        providerId,
        modelId,
        maxScore: Number(draft.maxScore),
        passScore: Number(draft.passScore),
      };
    }
  }
}

const check = "h-4 w-4 rounded border-slate-300 text-indigo-600";

export function NewRunForm({ options }: { options: RunFormOptions }) {
  const [state, action] = useActionState(createRun, undefined);
  const [scorers, setScorers] = useState<ScorerDraft[]>([blank("EXACT_MATCH")]);
  const update = (index: number, patch: Partial<ScorerDraft>) =>
    setScorers((list) => list.map((item, i) => (i === index ? { ...item, ...patch } : item)));
  const errors = state?.fieldErrors ?? {};
  const scorerErrors = Object.entries(errors)
    .filter(([field]) => field.startsWith("scorers"))
    .flatMap(([field, messages]) => (messages ?? []).map((message) => `${field}: ${message}`));
  if (options.datasets.length === 0) return <p className="text-sm text-slate-600">Import a dataset first.</p>;
  return (
    <form action={action} className="space-y-4">
      <SelectField
        name="datasetId"
        label="Dataset (its latest version)"
        options={options.datasets.map((row) => ({ value: row.id, label: `${row.name} (${row.cases} cases)` }))}
        errors={errors.datasetId}
      />
      <TextField name="name" label="Run name (optional)" errors={errors.name} />
      <fieldset className="space-y-1">
        <legend className="text-sm font-medium text-slate-700">Models and routes</legend>
        <div className="max-h-48 space-y-1 overflow-y-auto rounded-md p-2 ring-1 ring-slate-200">
          {options.models.map((model) => (
            <label key={model.modelId} className="flex items-center gap-2 text-sm">
              <input
                type="checkbox"
                name="targets[]"
                value={`model:${model.providerId}:${model.modelId}`}
                className={check}
              />
              {model.label}
            </label>
          ))}
          {options.routes.map((route) => (
            <label key={route.id} className="flex items-center gap-2 text-sm">
              <input type="checkbox" name="targets[]" value={`route:${route.id}`} className={check} />
              route {route.name}
            </label>
          ))}
        </div>
        {errors.targets ? (
          <p className="text-sm text-red-600" role="alert">
            {errors.targets.join(" ")}
          </p>
        ) : null}
      </fieldset>
      <fieldset className="space-y-3">
        <legend className="text-sm font-medium text-slate-700">Scorers (the first decides “correct”)</legend>
        {scorers.map((draft, index) => (
          <div key={index} className="space-y-2 rounded-md p-3 ring-1 ring-slate-200">
            <div className="flex items-center gap-2">
              <select
                aria-label={`Scorer ${index + 1} kind`}
                value={draft.kind}
                onChange={(event) => update(index, blank(event.target.value as ScorerKind))}
                className="rounded-md border border-slate-300 px-2 py-1 text-sm"
              >
                {SCORER_KINDS.map((kind) => (
                  <option key={kind} value={kind}>
                    {SCORER_LABEL[kind]}
                  </option>
                ))}
              </select>
              {scorers.length > 1 ? (
                <button
                  type="button"
                  className="text-xs text-slate-500 underline"
                  onClick={() => setScorers((list) => list.filter((_, i) => i !== index))}
                >
                  Remove
                </button>
              ) : null}
            </div>
            {draft.kind === "EXACT_MATCH" || draft.kind === "CONTAINS" ? (
              <div className="flex flex-wrap gap-3 text-sm">
                {(["ignoreCase", "ignoreWhitespace", "ignorePunctuation"] as const).map((option) => (
                  <label key={option} className="flex items-center gap-1">
                    <input
                      type="checkbox"
                      className={check}
                      checked={draft[option]}
                      onChange={(event) => update(index, { [option]: event.target.checked })}
                    />
                    {
                      {
                        ignoreCase: "any case",
                        ignoreWhitespace: "any spacing",
                        ignorePunctuation: "ignore punctuation",
                      }[option]
                    }
                  </label>
                ))}
              </div>
            ) : null}
            {draft.kind === "CONTAINS" ? (
              <TextField
                id={`needle-${index}`}
                name="_needle"
                label="Text to find (empty: the expected output)"
                value={draft.needle}
                onChange={(event) => update(index, { needle: event.target.value })}
              />
            ) : null}
            {draft.kind === "REGEX" ? (
              <div className="grid grid-cols-4 gap-2">
                <div className="col-span-3">
                  <TextField
                    id={`pattern-${index}`}
                    name="_pattern"
                    label="Pattern"
                    value={draft.pattern}
                    onChange={(event) => update(index, { pattern: event.target.value })}
                  />
                </div>
                <TextField
                  id={`flags-${index}`}
                  name="_flags"
                  label="Flags (imsu)"
                  value={draft.flags}
                  onChange={(event) => update(index, { flags: event.target.value })}
                />
              </div>
            ) : null}
            {draft.kind === "JSON_SCHEMA" ? (
              <TextAreaField
                id={`schema-${index}`}
                name="_schema"
                label="JSON schema"
                rows={3}
                value={draft.schema}
                onChange={(event) => update(index, { schema: event.target.value })}
              />
            ) : null}
            {draft.kind === "NUMBER_TOLERANCE" ? (
              <div className="flex items-end gap-3">
                <TextField
                  id={`tolerance-${index}`}
                  name="_tolerance"
                  label="Tolerance"
                  inputMode="decimal"
                  value={draft.tolerance}
                  onChange={(event) => update(index, { tolerance: event.target.value })}
                />
                <label className="flex items-center gap-1 pb-2 text-sm">
                  <input
                    type="checkbox"
                    className={check}
                    checked={draft.relative}
                    onChange={(event) => update(index, { relative: event.target.checked })}
                  />
                  relative (0.01 = 1 %)
                </label>
              </div>
            ) : null}
            {draft.kind === "LLM_JUDGE" ? (
              <div className="space-y-2">
                <TextAreaField
                  id={`rubric-${index}`}
                  name="_rubric"
                  label="Rubric"
                  rows={3}
                  value={draft.rubric}
                  onChange={(event) => update(index, { rubric: event.target.value })}
                />
                <SelectField
                  id={`judge-${index}`}
                  name="_judge"
                  label="Judge model"
                  value={draft.judge}
                  onChange={(event) => update(index, { judge: event.target.value })}
                  options={[
                    { value: "", label: "Choose…" },
                    ...options.models.map((model) => ({
                      value: `${model.providerId}:${model.modelId}`,
                      label: model.label,
                    })),
                  ]}
                />
                <div className="grid grid-cols-2 gap-2">
                  <TextField
                    id={`max-${index}`}
                    name="_max"
                    label="Top score"
                    value={draft.maxScore}
                    onChange={(event) => update(index, { maxScore: event.target.value })}
                  />
                  <TextField
                    id={`pass-${index}`}
                    name="_pass"
                    label="Passes at"
                    value={draft.passScore}
                    onChange={(event) => update(index, { passScore: event.target.value })}
                  />
                </div>
              </div>
            ) : null}
          </div>
        ))}
        {scorers.length < 8 ? (
          <button
            type="button"
            className="text-sm text-indigo-700 underline"
            onClick={() => setScorers((list) => [...list, blank("CONTAINS")])}
          >
            Add a scorer
          </button>
        ) : null}
        <input type="hidden" name="scorers" value={JSON.stringify(scorers.map(configOf))} />
        {scorerErrors.length ? (
          <ul className="text-sm text-red-600" role="alert">
            {scorerErrors.map((message) => (
              <li key={message}>{message}</li>
            ))}
          </ul>
        ) : null}
      </fieldset>
      <div className="grid grid-cols-2 gap-3">
        <TextField
          name="concurrency"
          label="Concurrency"
          defaultValue="4"
          inputMode="numeric"
          errors={errors.concurrency}
        />
        <TextField
          name="maxOutputTokens"
          label="Max output tokens"
          defaultValue="512"
          inputMode="numeric"
          errors={errors.maxOutputTokens}
        />
      </div>
      <input type="hidden" name="startNow" value="false" />
      <SubmitButton pendingLabel="Estimating…">Create run and show its estimate</SubmitButton>
      <FormMessage state={state} />
      {state?.ok && state.data ? (
        <p className="text-sm">
          <Link href={`/evals/runs/${state.data.id}`} className="font-medium text-indigo-700 underline">
            Open the run
          </Link>{" "}
          to see its estimated cost and start it.
        </p>
      ) : null}
    </form>
  );
}
