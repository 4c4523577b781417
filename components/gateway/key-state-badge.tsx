import { Badge } from "@/components/ui/card";
import { gatewayKeyStateLabel, type GatewayKeyState } from "@/lib/gateway-keys/status";

const TONE = { active: "green", retiring: "amber", revoked: "slate", expired: "red" } as const;

export function KeyStateBadge({ state }: { state: GatewayKeyState }) {
  return <Badge tone={TONE[state.kind]}>{gatewayKeyStateLabel(state)}</Badge>;
}
