import { Badge } from "@/components/ui/card";
import { KeyRowActions } from "@/components/keys/key-row-actions";
import { formatDate, KeyStatusBadge } from "@/components/keys/key-status-badge";
import type { ProviderKeyDto } from "@/lib/keys/queries";

// Metadata only: the DTO has no ciphertext and there is no reveal control for any role.
export function KeysTable({ keys, canWrite }: { keys: ProviderKeyDto[]; canWrite: boolean }) {
  if (keys.length === 0) return <p className="text-sm text-slate-600">No keys stored for this provider yet.</p>;
  return (
    <div className="overflow-x-auto">
      <table className="min-w-full divide-y divide-slate-200 text-sm">
        <thead className="text-left text-xs uppercase tracking-wide text-slate-500">
          <tr>
            <th scope="col" className="py-2 pr-4">
              Label
            </th>
            <th scope="col" className="py-2 pr-4">
              Status
            </th>
            <th scope="col" className="py-2 pr-4">
              Key
            </th>
            <th scope="col" className="py-2 pr-4">
              Expires
            </th>
            <th scope="col" className="py-2 pr-4">
              Created
            </th>
            <th scope="col" className="py-2 pr-4">
              Last used
            </th>
            <th scope="col" className="py-2 pr-4">
              Last test
            </th>
            {canWrite ? (
              <th scope="col" className="py-2">
                <span className="sr-only">Actions</span>
              </th>
            ) : null}
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-100">
          {keys.map((key) => (
            <tr key={key.id} data-testid="key-row" className="align-top">
              <td className="py-3 pr-4 font-medium text-slate-900">
                {key.label} {key.isPrimary ? <Badge tone="indigo">Primary</Badge> : null}
              </td>
              <td className="py-3 pr-4">
                <KeyStatusBadge status={key.status} undecryptable={key.undecryptable} />
                {!key.boundToProvider && (key.status === "ACTIVE" || key.status === "RETIRING") ? (
                  <p data-testid="key-unbound" className="mt-1 text-xs text-red-700">
                    Added for {key.boundOrigin ?? "an unknown host"}; the provider now points elsewhere, so it is not
                    sent. Enter it again or rebind it.
                  </p>
                ) : null}
                {key.outOfRotationAt ? (
                  <p data-testid="key-out-of-rotation" className="mt-1 max-w-64 text-xs text-red-700">
                    Taken out of the gateway&apos;s rotation: {key.outOfRotationReason ?? "no reason recorded"}, at{" "}
                    {formatDate(key.outOfRotationAt, true)}
                  </p>
                ) : null}
                {key.status === "RETIRING" ? (
                  <p className="mt-1 text-xs text-slate-500">until {formatDate(key.retireAt, true)}</p>
                ) : null}
              </td>
              <td className="py-3 pr-4 font-mono text-xs text-slate-700">
                …{key.last4}
                <span className="block text-slate-400" title="HMAC fingerprint (first 8 hex digits)">
                  fp {key.fingerprint}
                </span>
              </td>
              <td className="py-3 pr-4">{formatDate(key.expiresAt)}</td>
              <td className="py-3 pr-4">
                {formatDate(key.createdAt)}
                <span className="block text-xs text-slate-500">{key.createdByEmail ?? "—"}</span>
              </td>
              <td className="py-3 pr-4">{formatDate(key.lastUsedAt, true)}</td>
              <td className="py-3 pr-4">
                {key.lastTestAt ? (
                  <>
                    <Badge tone={key.lastTestOk ? "green" : "red"}>{key.lastTestOk ? "OK" : "Failed"}</Badge>
                    <span className="block max-w-56 text-xs text-slate-500">{key.lastTestMessage}</span>
                    {key.lastTestDetail ? (
                      <span
                        className="block max-w-56 break-words text-xs text-slate-400"
                        title="The provider's words, redacted (shown to admins only)"
                      >
                        Provider said: {key.lastTestDetail}
                      </span>
                    ) : null}
                  </>
                ) : (
                  "—"
                )}
              </td>
              {canWrite ? (
                <td className="py-3">
                  <KeyRowActions
                    keyId={key.id}
                    label={key.label}
                    status={key.status}
                    isPrimary={key.isPrimary}
                    unbound={!key.boundToProvider}
                    outOfRotation={key.outOfRotationAt !== null}
                  />
                </td>
              ) : null}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
