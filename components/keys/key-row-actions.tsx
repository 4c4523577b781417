"use client";

import { useActionState } from "react";
import { rebindKey, returnKeyToRotation, revokeKey, setPrimaryKey } from "@/app/(console)/providers/[id]/keys/actions";
import { TestKeyButton } from "@/components/test-calls/test-key-button";
import { SubmitButton } from "@/components/ui/button";
import { FormMessage } from "@/components/ui/form-message";

type Props = {
  keyId: string;
  label: string;
  status: "ACTIVE" | "RETIRING" | "REVOKED" | "EXPIRED";
  isPrimary: boolean;
  unbound?: boolean;
  outOfRotation?: boolean;
};

// The provider moved to another host: the key is sent there only after the admin confirms with their password.
function Rebind({ keyId, label }: { keyId: string; label: string }) {
  const [state, action] = useActionState(rebindKey, undefined);
  return (
    <details className="group">
      <summary className="cursor-pointer list-none rounded-md px-3 py-2 text-sm font-semibold text-slate-700 ring-1 ring-inset ring-slate-300 hover:bg-slate-50">
        Rebind…
      </summary>
      <form action={action} className="mt-2 space-y-2 rounded-md bg-slate-50 p-3 ring-1 ring-slate-200">
        <input type="hidden" name="keyId" value={keyId} />
        <label className="block text-sm text-slate-800">
          Your password
          <input
            type="password"
            name="password"
            required
            autoComplete="current-password"
            className="mt-1 block w-full rounded-md border border-slate-300 px-2 py-1"
          />
        </label>
        <label className="flex items-start gap-2 text-sm text-slate-800">
          <input type="checkbox" name="confirm" value="on" required className="mt-1" />
          Send “{label}” to the provider&apos;s new host from now on.
        </label>
        <SubmitButton variant="secondary" pendingLabel="Rebinding…">
          Rebind key
        </SubmitButton>
        <FormMessage state={state} />
      </form>
    </details>
  );
}

// The gateway stopped using this key (401 / quota exhausted); an admin puts it back once fixed.
function ReturnToRotation({ keyId, label }: { keyId: string; label: string }) {
  const [state, action] = useActionState(returnKeyToRotation, undefined);
  return (
    <form action={action}>
      <input type="hidden" name="keyId" value={keyId} />
      <SubmitButton variant="secondary" pendingLabel="Returning…" aria-label={`Return ${label} to rotation`}>
        Return to rotation
      </SubmitButton>
      <FormMessage state={state} />
    </form>
  );
}

function SetPrimary({ keyId, label }: { keyId: string; label: string }) {
  const [state, action] = useActionState(setPrimaryKey, undefined);
  return (
    <form action={action}>
      <input type="hidden" name="keyId" value={keyId} />
      <SubmitButton variant="secondary" pendingLabel="Saving…" aria-label={`Make ${label} primary`}>
        Make primary
      </SubmitButton>
      {state && !state.ok ? <FormMessage state={state} /> : null}
    </form>
  );
}

function Revoke({ keyId, label }: { keyId: string; label: string }) {
  const [state, action] = useActionState(revokeKey, undefined);
  return (
    <details className="group">
      <summary className="cursor-pointer list-none rounded-md px-3 py-2 text-sm font-semibold text-red-700 ring-1 ring-inset ring-red-200 hover:bg-red-50">
        Revoke…
      </summary>
      <form action={action} className="mt-2 space-y-2 rounded-md bg-red-50 p-3 ring-1 ring-red-200">
        <input type="hidden" name="keyId" value={keyId} />
        <label className="flex items-start gap-2 text-sm text-red-900">
          <input type="checkbox" name="confirm" value="on" required className="mt-1" />
          Revoke “{label}” now. Calls using it stop at once; this cannot be undone.
        </label>
        <SubmitButton variant="danger" pendingLabel="Revoking…">
          Revoke now
        </SubmitButton>
        <FormMessage state={state} />
      </form>
    </details>
  );
}

export function KeyRowActions({ keyId, label, status, isPrimary, unbound = false, outOfRotation = false }: Props) {
  const usable = status === "ACTIVE" || status === "RETIRING";
  return (
    <div className="flex flex-wrap items-start justify-end gap-2">
      {status === "ACTIVE" && !isPrimary ? <SetPrimary keyId={keyId} label={label} /> : null}
      {usable && unbound ? <Rebind keyId={keyId} label={label} /> : null}
      {usable && outOfRotation ? <ReturnToRotation keyId={keyId} label={label} /> : null}
      {usable ? <TestKeyButton keyId={keyId} label={label} /> : null}
      {status !== "REVOKED" ? <Revoke keyId={keyId} label={label} /> : null}
    </div>
  );
}
