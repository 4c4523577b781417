import { Card } from "@/components/ui/card";
import { EditGatewayKeyForm, type GatewayKeyFormValues } from "@/components/gateway/gateway-key-form";
import { RevokeGatewayKeyForm } from "@/components/gateway/revoke-gateway-key-form";
import { RotateGatewayKeyForm } from "@/components/gateway/rotate-gateway-key-form";
import { requirePageActor } from "@/lib/auth/session";
import { getGatewayKey, teamOptions, type GatewayKeyView } from "@/lib/gateway-keys/queries";

function formValues(key: GatewayKeyView): GatewayKeyFormValues {
  return {
    name: key.name,
    teamId: key.teamId,
    allowedModels: key.allowedModels.join("\n"),
    monthlyBudgetUsd: key.monthlyBudgetUsd ?? "",
    rpmLimit: key.rpmLimit?.toString() ?? "",
    tpmLimit: key.tpmLimit?.toString() ?? "",
    maxParallel: key.maxParallel?.toString() ?? "",
    expiresAt: key.expiresAt ? key.expiresAt.toISOString().slice(0, 10) : "",
    allowedIps: key.allowedIps.join("\n"),
  };
}

/** Admin controls: settings while the key can still be used, rotation for an active key, revocation. */
export async function GatewayKeyControls({ id }: { id: string }) {
  await requirePageActor("gateway:write");
  const [key, teams] = await Promise.all([getGatewayKey(id), teamOptions()]);
  if (!key) return null;
  const retired = key.state.kind === "revoked" || (key.retiresAt !== null && key.state.kind === "expired");
  if (retired) {
    return <p className="text-sm text-slate-600">This key can no longer be used, so there is nothing to change.</p>;
  }
  return (
    <div className="grid gap-6 lg:grid-cols-3">
      <Card title="Settings" className="lg:col-span-2">
        <EditGatewayKeyForm teams={teams} gatewayKeyId={key.id} initial={formValues(key)} />
      </Card>
      <div className="space-y-6">
        {key.state.kind === "active" ? (
          <Card title="Rotate">
            <RotateGatewayKeyForm gatewayKeyId={key.id} name={key.name} />
          </Card>
        ) : null}
        <Card title="Revoke">
          <RevokeGatewayKeyForm gatewayKeyId={key.id} name={key.name} />
        </Card>
      </div>
    </div>
  );
}
