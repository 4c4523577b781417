import Link from "@/components/ui/link";
import { CreateGatewayKeyForm } from "@/components/gateway/gateway-key-form";
import { requirePageActor } from "@/lib/auth/session";
import { teamOptions } from "@/lib/gateway-keys/queries";

export async function NewGatewayKeyPanel() {
  await requirePageActor("gateway:write");
  const teams = await teamOptions();
  if (teams.length === 0) {
    return (
      <p className="text-sm text-slate-600">
        Every key belongs to a team.{" "}
        <Link href="/gateway/teams" className="font-medium text-indigo-600 hover:underline">
          Create a team
        </Link>{" "}
        first.
      </p>
    );
  }
  return <CreateGatewayKeyForm teams={teams} />;
}
