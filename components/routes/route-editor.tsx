"use client";

import { useActionState, useEffect, useState } from "react";
import { useRouter } from "next/navigation";
import { createRoute, saveRouteVersion } from "@/app/(console)/gateway/routes/actions";
import { SubmitButton } from "@/components/ui/button";
import { CheckboxField, SelectField, TextField } from "@/components/ui/field";
import { FormMessage } from "@/components/ui/form-message";
import { emptyTarget, settingsPayloadOf, type EditorState, type EditorTarget } from "@/lib/routes/editor-state";
import { ROUTE_STRATEGIES, ROUTE_STRATEGY_LABEL, type RouteStrategyName } from "@/lib/routes/schemas";

// One editor for a new route and for a new version of one: strategy, groups of targets (model,
// weight, parameter overrides, timeout), retries, deadline, cooldown and cache. The settings go
// to the action as one JSON field; field errors come back under their paths in those settings.

export type TargetOption = { value: string; label: string };

type Props =
  | { mode: "create"; options: TargetOption[]; initial: EditorState }
  | { mode: "edit"; options: TargetOption[]; initial: EditorState; routeId: string; baseVersion: number };

const secondary =
  "rounded-md px-2 py-1 text-xs font-semibold text-slate-700 ring-1 ring-inset ring-slate-300 hover:bg-slate-50";

export function RouteEditor(props: Props) {
  const router = useRouter();
  const [state, action] = useActionState(props.mode === "create" ? createRoute : saveRouteVersion, undefined);
  const [editor, setEditor] = useState<EditorState>(props.initial);
  // The version these settings are based on: where the editor opened, then each version it saved
  // itself. A newer version saved elsewhere is not adopted silently, so saving over it is refused.
  const [base, setBase] = useState(props.mode === "edit" ? props.baseVersion : 0);
  const [seen, setSeen] = useState(state);
  if (state !== seen) {
    setSeen(state);
    if (state?.ok && state.data?.version) setBase(state.data.version);
  }
  const errors = state?.fieldErrors ?? {};
  const error = (path: string) => errors[path] ?? errors[`settings.${path}`];

  useEffect(() => {
    if (props.mode === "create" && state?.ok && state.data?.routeId)
      router.push(`/gateway/routes/${state.data.routeId}`);
  }, [props.mode, router, state]);

  const update = (patch: Partial<EditorState>) => setEditor((current) => ({ ...current, ...patch }));
  const updateTarget = (g: number, t: number, patch: Partial<EditorTarget>) =>
    setEditor((current) => ({
      ...current,
      groups: current.groups.map((group, gi) =>
        gi !== g
          ? group
          : { targets: group.targets.map((target, ti) => (ti === t ? { ...target, ...patch } : target)) },
      ),
    }));
  const moveTarget = (g: number, t: number, by: -1 | 1) =>
    setEditor((current) => ({
      ...current,
      groups: current.groups.map((group, gi) => {
        if (gi !== g) return group;
        const targets = [...group.targets];
        const [moved] = targets.splice(t, 1);
        targets.splice(t + by, 0, moved!);
        return { targets };
      }),
    }));
  const removeTarget = (g: number, t: number) =>
    setEditor((current) => ({
      ...current,
      groups: current.groups
        .map((group, gi) => (gi === g ? { targets: group.targets.filter((_, ti) => ti !== t) } : group))
        .filter((group, gi) => gi === 0 || group.targets.length > 0),
    }));
  const addTarget = (g: number) =>
    setEditor((current) => ({
      ...current,
      groups: current.groups.map((group, gi) => (gi === g ? { targets: [...group.targets, emptyTarget()] } : group)),
    }));

  const grouped = editor.strategy === "FALLBACK_GROUPS";
  const groups = grouped ? editor.groups : editor.groups.slice(0, 1);
  const options = [{ value: "", label: "Choose a model…" }, ...props.options];

  return (
    <form
      action={action}
      className="space-y-5"
      noValidate
      aria-label={props.mode === "create" ? "New route" : "Edit route"}
    >
      {props.mode === "edit" ? (
        <>
          <input type="hidden" name="routeId" value={props.routeId} />
          <input type="hidden" name="baseVersion" value={base} />
        </>
      ) : (
        <div className="grid gap-4 sm:grid-cols-2">
          <TextField
            id="route-name"
            name="name"
            label="Name"
            required
            maxLength={100}
            placeholder="chat-default"
            errors={errors.name}
            defaultValue={state?.values?.name ?? ""}
            hint="Applications call this name like a model name."
          />
          <TextField
            id="route-description"
            name="description"
            label="Description (optional)"
            maxLength={500}
            errors={errors.description}
            defaultValue={state?.values?.description ?? ""}
          />
        </div>
      )}
      <input type="hidden" name="settings" value={JSON.stringify(settingsPayloadOf(editor))} />
      {props.mode === "edit" && error("name") ? (
        <p className="text-sm text-red-600" role="alert">
          {error("name")!.join(" ")}
        </p>
      ) : null}

      <SelectField
        id="route-strategy"
        name="strategyChoice"
        label="Strategy"
        value={editor.strategy}
        onChange={(event) => update({ strategy: event.target.value as RouteStrategyName })}
        options={ROUTE_STRATEGIES.map((strategy) => ({ value: strategy, label: ROUTE_STRATEGY_LABEL[strategy] }))}
        errors={error("strategy")}
        hint={
          editor.strategy === "FALLBACK"
            ? "Targets are tried in order; the next is tried when one fails (rate limit, 5xx, timeout)."
            : editor.strategy === "LOAD_BALANCE"
              ? "Requests are spread by weight; the others are the fallbacks of the one drawn."
              : "Groups are tried in order; inside a group requests are spread by weight."
        }
      />
      {error("groups") ? (
        <p className="text-sm text-red-600" role="alert">
          {error("groups")!.join(" ")}
        </p>
      ) : null}

      {groups.map((group, g) => (
        <fieldset key={g} className="space-y-3 rounded-md p-4 ring-1 ring-slate-200" aria-label={`Group ${g + 1}`}>
          <legend className="px-1 text-sm font-semibold text-slate-800">
            {grouped ? `Group ${g + 1}` : "Targets"}
          </legend>
          {group.targets.map((target, t) => {
            const path = `groups.${g}.targets.${t}`;
            const id = `route-g${g}-t${t}`;
            const targetErrors = error(path);
            return (
              <div key={t} className="space-y-2 rounded-md bg-slate-50 p-3" data-testid="route-target">
                <div className="grid gap-3 sm:grid-cols-[2fr_1fr_auto]">
                  <SelectField
                    id={`${id}-model`}
                    name={`target-${g}-${t}`}
                    label={`Target ${t + 1}: provider / model`}
                    value={target.target}
                    onChange={(event) => updateTarget(g, t, { target: event.target.value })}
                    options={
                      target.target && !props.options.some((option) => option.value === target.target)
                        ? [...options, { value: target.target, label: "(no longer available)" }]
                        : options
                    }
                    errors={[
                      ...(targetErrors ?? []),
                      ...(error(`${path}.providerId`) ?? []),
                      ...(error(`${path}.modelId`) ?? []),
                    ]}
                  />
                  <TextField
                    id={`${id}-weight`}
                    name={`weight-${g}-${t}`}
                    label="Weight"
                    inputMode="numeric"
                    value={target.weight}
                    onChange={(event) => updateTarget(g, t, { weight: event.target.value })}
                    errors={error(`${path}.weight`)}
                  />
                  <div className="flex items-end gap-1 pb-1">
                    <button
                      type="button"
                      className={secondary}
                      disabled={t === 0}
                      onClick={() => moveTarget(g, t, -1)}
                      aria-label={`Move target ${t + 1} up`}
                    >
                      ↑
                    </button>
                    <button
                      type="button"
                      className={secondary}
                      disabled={t === group.targets.length - 1}
                      onClick={() => moveTarget(g, t, 1)}
                      aria-label={`Move target ${t + 1} down`}
                    >
                      ↓
                    </button>
                    <button
                      type="button"
                      className={secondary}
                      onClick={() => removeTarget(g, t)}
                      aria-label={`Remove target ${t + 1}`}
                    >
                      Remove
                    </button>
                  </div>
                </div>
                <div className="grid gap-3 sm:grid-cols-4">
                  <TextField
                    id={`${id}-temperature`}
                    name={`temperature-${g}-${t}`}
                    label="Temperature (optional)"
                    inputMode="decimal"
                    value={target.temperature}
                    onChange={(event) => updateTarget(g, t, { temperature: event.target.value })}
                    errors={error(`${path}.params.temperature`)}
                  />
                  <TextField
                    id={`${id}-top-p`}
                    name={`topP-${g}-${t}`}
                    label="top_p (optional)"
                    inputMode="decimal"
                    value={target.topP}
                    onChange={(event) => updateTarget(g, t, { topP: event.target.value })}
                    errors={error(`${path}.params.top_p`)}
                  />
                  <TextField
                    id={`${id}-max-tokens`}
                    name={`maxTokens-${g}-${t}`}
                    label="max_tokens (optional)"
                    inputMode="numeric"
                    value={target.maxTokens}
                    onChange={(event) => updateTarget(g, t, { maxTokens: event.target.value })}
                    errors={error(`${path}.params.max_tokens`)}
                  />
                  <TextField
                    id={`${id}-timeout`}
                    name={`timeout-${g}-${t}`}
                    label="Timeout, ms (optional)"
                    inputMode="numeric"
                    value={target.timeoutMs}
                    onChange={(event) => updateTarget(g, t, { timeoutMs: event.target.value })}
                    errors={error(`${path}.timeoutMs`)}
                  />
                </div>
              </div>
            );
          })}
          <button type="button" className={secondary} onClick={() => addTarget(g)}>
            Add a target
          </button>
        </fieldset>
      ))}
      {grouped ? (
        <button
          type="button"
          className={secondary}
          onClick={() => update({ groups: [...editor.groups, { targets: [emptyTarget()] }] })}
        >
          Add a group
        </button>
      ) : null}

      <div className="grid gap-4 sm:grid-cols-4">
        <TextField
          id="route-retries"
          name="retriesText"
          label="Retries per target"
          inputMode="numeric"
          value={editor.retries}
          onChange={(event) => update({ retries: event.target.value })}
          errors={error("retries")}
          hint="With exponential backoff and jitter."
        />
        <TextField
          id="route-deadline"
          name="deadlineText"
          label="Deadline, ms"
          inputMode="numeric"
          value={editor.deadlineMs}
          onChange={(event) => update({ deadlineMs: event.target.value })}
          errors={error("deadlineMs")}
          hint="For the whole request, every attempt included."
        />
        <TextField
          id="route-cooldown-failures"
          name="cooldownFailuresText"
          label="Cooldown after failures"
          inputMode="numeric"
          value={editor.cooldownFailures}
          onChange={(event) => update({ cooldownFailures: event.target.value })}
          errors={error("cooldownFailures")}
          hint="Failures in a row before a target is skipped."
        />
        <TextField
          id="route-cooldown-seconds"
          name="cooldownSecondsText"
          label="Cooldown, seconds"
          inputMode="numeric"
          value={editor.cooldownSeconds}
          onChange={(event) => update({ cooldownSeconds: event.target.value })}
          errors={error("cooldownSeconds")}
          hint="Then one probe request decides."
        />
      </div>
      <div className="grid items-end gap-4 sm:grid-cols-4">
        <CheckboxField
          id="route-cache"
          name="cacheChoice"
          label="Cache identical requests"
          checked={editor.cacheEnabled}
          onChange={(event) => update({ cacheEnabled: event.target.checked })}
          hint="Answers from the cache cost nothing; the spend page shows what they saved."
        />
        <TextField
          id="route-cache-ttl"
          name="cacheTtlText"
          label="Cache TTL, seconds"
          inputMode="numeric"
          value={editor.cacheTtlSeconds}
          disabled={!editor.cacheEnabled}
          onChange={(event) => update({ cacheTtlSeconds: event.target.value })}
          errors={error("cacheTtlSeconds")}
        />
      </div>
      <TextField
        id="route-comment"
        name="comment"
        label="Comment (optional)"
        maxLength={500}
        errors={errors.comment}
        defaultValue={state && !state.ok ? (state.values?.comment ?? "") : ""}
        hint="Shown in the version history."
      />
      {error("_form") || errors.settings ? (
        <p className="text-sm text-red-600" role="alert">
          {[...(error("_form") ?? []), ...(errors.settings ?? [])].join(" ")}
        </p>
      ) : null}
      <FormMessage state={state} />
      <SubmitButton pendingLabel={props.mode === "create" ? "Creating…" : "Saving…"}>
        {props.mode === "create" ? "Create route" : "Save as a new version"}
      </SubmitButton>
    </form>
  );
}
