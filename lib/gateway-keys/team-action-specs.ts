import "server-only";
import { db } from "@/lib/db/client";
import type { Prisma } from "@/lib/generated/prisma/client";
import type { ActionSpec } from "@/lib/actions/define-action";
import { writeAudit } from "@/lib/audit/write-audit";
import { conflict, DomainError, notFound } from "@/lib/errors/domain-error";
import { createTeamSchema, deleteTeamSchema, updateTeamSchema } from "@/lib/gateway-keys/schemas";

// Teams own gateway keys and carry a budget of their own. Admin-only (gateway:write).

const TEAM_PATHS = ["/gateway/teams", "/gateway/keys"];

async function assertNameFree(tx: Prisma.TransactionClient, name: string, exceptId?: string): Promise<void> {
  const taken = await tx.team.findFirst({
    where: { name, ...(exceptId ? { id: { not: exceptId } } : {}) },
    select: { id: true },
  });
  if (taken) throw conflict("Check the highlighted fields.", { name: ["Another team already has this name."] });
}

export const createTeamSpec = {
  name: "teams.create",
  capability: "gateway:write",
  schema: createTeamSchema,
  revalidate: TEAM_PATHS,
  successMessage: (data) => `Team ${data?.name ?? ""} created.`,
  handler: (input, actor) =>
    db.$transaction(async (tx) => {
      await assertNameFree(tx, input.name);
      const team = await tx.team.create({ data: input, select: { id: true, name: true } });
      await writeAudit(
        {
          actor,
          action: "team.created",
          targetType: "team",
          targetId: team.id,
          details: { name: team.name, monthlyBudgetUsd: input.monthlyBudgetUsd },
        },
        tx,
      );
      return team;
    }),
} satisfies ActionSpec<typeof createTeamSchema, { id: string; name: string }>;

export const updateTeamSpec = {
  name: "teams.update",
  capability: "gateway:write",
  schema: updateTeamSchema,
  revalidate: TEAM_PATHS,
  successMessage: "Team saved.",
  handler: ({ teamId, ...fields }, actor) =>
    db.$transaction(async (tx) => {
      const before = await tx.team.findUnique({
        where: { id: teamId },
        select: { name: true, monthlyBudgetUsd: true },
      });
      if (!before) throw notFound("Team");
      await assertNameFree(tx, fields.name, teamId);
      await tx.team.update({ where: { id: teamId }, data: fields, select: { id: true } });
      await writeAudit(
        {
          actor,
          action: "team.updated",
          targetType: "team",
          targetId: teamId,
          details: {
            name: fields.name,
            previousName: before.name === fields.name ? undefined : before.name,
            monthlyBudgetUsd: fields.monthlyBudgetUsd,
            previousMonthlyBudgetUsd: before.monthlyBudgetUsd?.toFixed(2) ?? null,
          },
        },
        tx,
      );
    }),
} satisfies ActionSpec<typeof updateTeamSchema, void>;

export const deleteTeamSpec = {
  name: "teams.delete",
  capability: "gateway:write",
  schema: deleteTeamSchema,
  revalidate: TEAM_PATHS,
  successMessage: (data) => `Team ${data?.name ?? ""} deleted.`,
  handler: ({ teamId }, actor) =>
    db.$transaction(async (tx) => {
      // Locked, so a key created for the team meanwhile cannot slip in under the count below.
      const [team] = await tx.$queryRaw<
        { name: string }[]
      >`SELECT name FROM teams WHERE id = ${teamId}::uuid FOR UPDATE`;
      if (!team) throw notFound("Team");
      const keys = await tx.gatewayKey.count({ where: { teamId } });
      if (keys > 0) {
        // Revoked keys count too: usage records name them, so they stay as the team's history.
        throw new DomainError(
          "CONFLICT",
          `${team.name} still owns ${keys} gateway key${keys === 1 ? "" : "s"} (revoked ones included: they are its usage history). Move its keys to another team first; a team whose keys were revoked cannot be deleted, rename it instead.`,
        );
      }
      await tx.team.delete({ where: { id: teamId }, select: { id: true } });
      await writeAudit({ actor, action: "team.deleted", targetType: "team", targetId: teamId, details: team }, tx);
      return { name: team.name };
    }),
} satisfies ActionSpec<typeof deleteTeamSchema, { name: string }>;

export const teamActionSpecs = [createTeamSpec, updateTeamSpec, deleteTeamSpec] as const;
