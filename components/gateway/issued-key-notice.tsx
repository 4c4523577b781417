"use client";

import { CopyButton } from "@/components/gateway/copy-button";

/** The one time a gateway key is visible: it lives only in this action result, never in a page. */
export function IssuedKeyNotice({ name, gatewayKey }: { name: string; gatewayKey: string }) {
  return (
    <div className="space-y-2 rounded-md bg-amber-50 p-3 ring-1 ring-amber-200" data-testid="issued-gateway-key">
      <p className="text-sm font-medium text-amber-900">
        Key for {name}. Copy it now: you will not see it again. Only its last 4 characters are kept.
      </p>
      <code
        data-testid="new-gateway-key"
        className="block select-all break-all rounded bg-white px-2 py-1 font-mono text-xs text-slate-900 ring-1 ring-amber-200"
      >
        {gatewayKey}
      </code>
      <CopyButton text={gatewayKey} label="Copy key" />
    </div>
  );
}
