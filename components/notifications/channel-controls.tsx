"use client";

import { useActionState } from "react";
import { SubmitButton } from "@/components/ui/button";
import { SelectField, TextAreaField, TextField } from "@/components/ui/field";
import { FormMessage } from "@/components/ui/form-message";
import {
  createRule,
  deleteRule,
  sendTest,
  setChannelEnabled,
  setSelfSubscribe,
  setSmtpPassword,
  subscribe,
  unsubscribe,
} from "@/app/(console)/notifications/actions";
import { EVENT_KINDS, EVENT_KIND_LABEL, SEVERITIES } from "@/lib/notifications/events";

export function ChannelControls({ channelId, name, enabled }: { channelId: string; name: string; enabled: boolean }) {
  const [testState, testAction] = useActionState(sendTest, undefined);
  const [enableState, enableAction] = useActionState(setChannelEnabled, undefined);
  return (
    <div className="flex flex-col items-end gap-1">
      <div className="flex gap-2">
        <form action={testAction}>
          <input type="hidden" name="channelId" value={channelId} />
          <SubmitButton variant="secondary" pendingLabel="Queueing…" aria-label={`Send a test to ${name}`}>
            Send test
          </SubmitButton>
        </form>
        <form action={enableAction}>
          <input type="hidden" name="channelId" value={channelId} />
          <input type="hidden" name="enabled" value={enabled ? "false" : "true"} />
          <SubmitButton variant="secondary" pendingLabel="Saving…">
            {enabled ? "Disable" : "Enable"}
          </SubmitButton>
        </form>
      </div>
      <div aria-live="polite" className="text-xs">
        <FormMessage state={testState ?? enableState} />
      </div>
    </div>
  );
}

export function RuleForm({ channelId, email = false }: { channelId: string; email?: boolean }) {
  const [state, action] = useActionState(createRule, undefined);
  // Remounted per answer: React resets a form after its action, and a select would return to the
  // option it was mounted with instead of the one the answer echoes.
  const key = state ? `${state.ok}:${JSON.stringify(state.values ?? {})}` : "initial";
  return (
    <form key={key} action={action} className="mt-2 space-y-2 rounded-md bg-slate-50 p-3">
      <input type="hidden" name="channelId" value={channelId} />
      <fieldset>
        <legend className="text-sm font-medium text-slate-700">Events (none ticked: every event)</legend>
        {EVENT_KINDS.map((kind) => (
          <label key={kind} className="mr-4 inline-flex items-center gap-1 text-sm text-slate-700">
            <input type="checkbox" name="eventKinds[]" value={kind} className="h-4 w-4" />
            {EVENT_KIND_LABEL[kind]}
          </label>
        ))}
      </fieldset>
      <SelectField
        id={`rule-severity-${channelId}`}
        name="minSeverity"
        label="Minimum severity"
        options={SEVERITIES.map((value) => ({ value, label: value.toLowerCase() }))}
        errors={state?.fieldErrors?.minSeverity}
        defaultValue={state?.ok ? "INFO" : (state?.values?.minSeverity ?? "INFO")}
      />
      {email ? (
        <TextAreaField
          id={`rule-recipients-${channelId}`}
          name="recipients"
          label="Recipients"
          rows={2}
          placeholder="finance@example.com, ops@example.com"
          hint="Email addresses, separated by commas or new lines (at most 50). Each event is one message to all matching rules' recipients."
          errors={state?.fieldErrors?.recipients}
          defaultValue={state?.ok ? "" : (state?.values?.recipients ?? "")}
        />
      ) : null}
      <SubmitButton variant="secondary" pendingLabel="Adding…">
        Add rule
      </SubmitButton>
      <FormMessage state={state} />
    </form>
  );
}

export function DeleteRuleButton({ ruleId }: { ruleId: string }) {
  const [state, action] = useActionState(deleteRule, undefined);
  return (
    <form action={action} className="inline-flex items-center gap-2">
      <input type="hidden" name="ruleId" value={ruleId} />
      <SubmitButton variant="danger" pendingLabel="Removing…">
        Remove
      </SubmitButton>
      {state && !state.ok ? (
        <span role="alert" className="text-xs text-red-700">
          {state.message}
        </span>
      ) : null}
    </form>
  );
}

/** Admins open or close an email channel for finance's self-subscriptions. */
export function SelfSubscribeToggle({ channelId, open }: { channelId: string; open: boolean }) {
  const [state, action] = useActionState(setSelfSubscribe, undefined);
  return (
    <form action={action} className="inline-flex items-center gap-2">
      <input type="hidden" name="channelId" value={channelId} />
      <input type="hidden" name="selfSubscribe" value={open ? "false" : "true"} />
      <SubmitButton variant="secondary" pendingLabel="Saving…">
        {open ? "Close subscriptions" : "Open for subscriptions"}
      </SubmitButton>
      {state && !state.ok ? (
        <span role="alert" className="text-xs text-red-700">
          {state.message}
        </span>
      ) : null}
    </form>
  );
}

/** A finance user's own subscription to budget alerts on an open email channel. */
export function SubscribeButton({ channelId, subscribed }: { channelId: string; subscribed: boolean }) {
  const [subscribeState, subscribeAction] = useActionState(subscribe, undefined);
  const [unsubscribeState, unsubscribeAction] = useActionState(unsubscribe, undefined);
  return (
    <div className="flex flex-col items-start gap-1">
      <form action={subscribed ? unsubscribeAction : subscribeAction}>
        <input type="hidden" name="channelId" value={channelId} />
        <SubmitButton variant="secondary" pendingLabel="Saving…">
          {subscribed ? "Unsubscribe me" : "Email me budget alerts"}
        </SubmitButton>
      </form>
      <div aria-live="polite" className="text-xs">
        <FormMessage state={subscribed ? unsubscribeState : subscribeState} />
      </div>
    </div>
  );
}

/** Replaces an email channel's SMTP credentials; the current password is never shown. */
export function SmtpPasswordForm({ channelId, username }: { channelId: string; username: string | null }) {
  const [state, action] = useActionState(setSmtpPassword, undefined);
  return (
    <form action={action} className="space-y-3">
      <input type="hidden" name="channelId" value={channelId} />
      <TextField
        name="smtpUsername"
        label="User name"
        autoComplete="off"
        required
        errors={state?.fieldErrors?.smtpUsername}
        defaultValue={state?.ok ? (username ?? "") : (state?.values?.smtpUsername ?? username ?? "")}
      />
      <TextField
        name="smtpPassword"
        label="New password"
        type="password"
        autoComplete="new-password"
        required
        errors={state?.fieldErrors?.smtpPassword}
      />
      <SubmitButton variant="secondary" pendingLabel="Replacing…">
        Replace password
      </SubmitButton>
      <FormMessage state={state} />
    </form>
  );
}
