import { requirePageActor } from "@/lib/auth/session";
import { Badge } from "@/components/ui/card";
import { RevokeTokenButton } from "@/components/usage/revoke-token-button";
import { listIngestTokens } from "@/lib/ingest/tokens";

const when = (value: Date | null) => (value ? value.toISOString().slice(0, 16).replace("T", " ") + " UTC" : "never");

export async function IngestTokenTable() {
  await requirePageActor("settings:write");
  const tokens = await listIngestTokens();
  if (tokens.length === 0) return <p className="text-sm text-slate-600">No tokens yet.</p>;
  return (
    <table className="w-full text-left text-sm">
      <thead className="text-xs uppercase text-slate-500">
        <tr>
          <th className="py-2">Name</th>
          <th>Token</th>
          <th>Created</th>
          <th>Last used</th>
          <th>Status</th>
          <th className="sr-only">Actions</th>
        </tr>
      </thead>
      <tbody className="divide-y divide-slate-100">
        {tokens.map((token) => (
          <tr key={token.id}>
            <td className="py-2 font-medium text-slate-900">{token.name}</td>
            <td className="font-mono text-xs text-slate-600">pcu_…{token.last4}</td>
            <td className="text-slate-600">{when(token.createdAt)}</td>
            <td className="text-slate-600">{when(token.lastUsedAt)}</td>
            <td>{token.revokedAt ? <Badge tone="red">Revoked</Badge> : <Badge tone="green">Active</Badge>}</td>
            <td className="text-right">
              {token.revokedAt ? null : <RevokeTokenButton tokenId={token.id} name={token.name} />}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
