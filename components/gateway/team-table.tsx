import { DeleteTeamForm } from "@/components/gateway/delete-team-form";
import { SpendAgainstBudget } from "@/components/gateway/spend-against-budget";
import { EditTeamForm } from "@/components/gateway/team-form";
import { can } from "@/lib/auth/roles";
import { requirePageActor } from "@/lib/auth/session";
import { listTeams } from "@/lib/gateway-keys/queries";

export async function TeamTable() {
  const actor = await requirePageActor("gateway:read");
  const canWrite = can(actor.role, "gateway:write");
  const teams = await listTeams();
  if (teams.length === 0) return <p className="text-sm text-slate-600">No teams yet.</p>;
  return (
    <div className="overflow-x-auto">
      <table className="w-full text-left text-sm">
        <caption className="sr-only">Teams, their keys and this UTC month&apos;s spend</caption>
        <thead className="text-xs uppercase text-slate-500">
          <tr>
            <th className="py-2 pr-3">Team</th>
            <th className="pr-3">Keys</th>
            <th className="pr-3">Spend this month</th>
            <th className="sr-only">Actions</th>
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-100">
          {teams.map((team) => (
            <tr key={team.id} data-testid="team-row" className="align-top">
              <td className="py-2 pr-3">
                <p className="font-medium text-slate-900">{team.name}</p>
                {team.description ? <p className="text-xs text-slate-600">{team.description}</p> : null}
              </td>
              <td className="pr-3 text-slate-700">{team.keyCount}</td>
              <td className="pr-3">
                <SpendAgainstBudget spend={team.spend} budget={team.monthlyBudgetUsd} />
              </td>
              <td className="py-2 text-right">
                {canWrite ? (
                  <div className="flex flex-wrap justify-end gap-2 text-left">
                    <details>
                      <summary className="inline-block cursor-pointer list-none rounded-md px-3 py-2 text-sm font-semibold text-slate-700 ring-1 ring-inset ring-slate-300 hover:bg-slate-50">
                        Edit…
                      </summary>
                      <div className="mt-2 w-72 rounded-md bg-slate-50 p-3 ring-1 ring-slate-200">
                        <EditTeamForm
                          teamId={team.id}
                          initial={{
                            name: team.name,
                            description: team.description,
                            monthlyBudgetUsd: team.monthlyBudgetUsd ?? "",
                          }}
                        />
                      </div>
                    </details>
                    {team.keyCount === 0 ? <DeleteTeamForm teamId={team.id} name={team.name} /> : null}
                  </div>
                ) : null}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
