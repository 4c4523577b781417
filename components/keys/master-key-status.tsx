import { requirePageActor } from "@/lib/auth/session";
import { Badge, Card } from "@/components/ui/card";
import { getMasterKeyStatus } from "@/lib/keys/master-key-status";

/** Key ids in the keyring and how many stored secrets each one seals (never the keys). */
export async function MasterKeyStatus() {
  await requirePageActor("settings:write");
  const status = await getMasterKeyStatus();
  return (
    <Card title="Master keyring">
      <p className="text-sm text-slate-700">
        Current key: <code className="font-mono">{status.currentKeyId}</code>
        {status.olderKeyIds.length ? (
          <>
            {" "}
            · older keys (decrypt only): <code className="font-mono">{status.olderKeyIds.join(", ")}</code>
          </>
        ) : null}
      </p>
      <table className="mt-4 min-w-full text-sm">
        <thead className="text-left text-xs uppercase tracking-wide text-slate-500">
          <tr>
            <th scope="col" className="py-1 pr-4">
              Column
            </th>
            <th scope="col" className="py-1 pr-4">
              Secrets per master key id
            </th>
            <th scope="col" className="py-1">
              Undecryptable
            </th>
          </tr>
        </thead>
        <tbody>
          {status.columns.map((column) => (
            <tr key={column.name} data-testid="master-key-column">
              <td className="py-2 pr-4 font-mono text-xs">{column.name}</td>
              <td className="py-2 pr-4">
                {Object.keys(column.counts).length === 0
                  ? "none stored"
                  : Object.entries(column.counts).map(([keyId, count]) => (
                      <span key={keyId} className="mr-3 inline-flex items-center gap-1">
                        <code className="font-mono">{keyId}</code>: {count}
                        {keyId === status.currentKeyId ? <Badge tone="green">current</Badge> : null}
                        {!status.knownKeyIds.includes(keyId) ? <Badge tone="red">not in keyring</Badge> : null}
                      </span>
                    ))}
              </td>
              <td className="py-2">
                {column.undecryptable > 0 ? <Badge tone="red">{column.undecryptable} undecryptable</Badge> : "0"}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </Card>
  );
}
