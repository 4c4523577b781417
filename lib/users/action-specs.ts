import "server-only";
import { db } from "@/lib/db/client";
import { hashPassword } from "@/lib/auth/password";
import { writeAudit } from "@/lib/audit/write-audit";
import type { ActionSpec } from "@/lib/actions/define-action";
import { conflict, notFound } from "@/lib/errors/domain-error";
import { assertNotLastAdmin, lockAdminChanges } from "@/lib/users/admin-guard";
import { changeRoleSchema, createUserSchema, resetPasswordSchema, setDisabledSchema } from "@/lib/users/schemas";

// Every change to a user runs in one transaction with its audit event. Role changes, disabling
// and password resets bump session_version, which ends that user's existing sessions on their
// next request (lib/auth/session.ts compares it). Passwords and hashes never reach an audit row.

const duplicateEmail = () =>
  conflict("A user with this email already exists.", { email: ["A user with this email already exists."] });
const isUniqueViolation = (error: unknown) =>
  !!error && typeof error === "object" && "code" in error && error.code === "P2002";
const userPaths = (input: { userId: string }) => ["/users", `/users/${input.userId}`];
const guardSelect = { id: true, email: true, role: true, disabled: true } as const;

export type UserChange = { id: string; email: string; changed: boolean };

export const createUserSpec: ActionSpec<typeof createUserSchema, UserChange> = {
  name: "users.create",
  capability: "users:write",
  schema: createUserSchema,
  revalidate: ["/users"],
  successMessage: (data) => `${data?.email ?? "The user"} can now sign in.`,
  async handler(input, actor) {
    // Checked before hashing so a typo'd duplicate answers fast; the unique index decides races.
    if (await db.user.findUnique({ where: { email: input.email }, select: { id: true } })) throw duplicateEmail();
    const passwordHash = await hashPassword(input.password);
    try {
      return await db.$transaction(async (tx) => {
        const user = await tx.user.create({
          data: { email: input.email, name: input.name, role: input.role, passwordHash },
          select: { id: true, email: true },
        });
        await writeAudit(
          {
            actor,
            action: "user.created",
            targetType: "user",
            targetId: user.id,
            details: { email: user.email, name: input.name, role: input.role },
          },
          tx,
        );
        return { ...user, changed: true };
      });
    } catch (error) {
      if (isUniqueViolation(error)) throw duplicateEmail();
      throw error;
    }
  },
};

export const changeUserRoleSpec: ActionSpec<typeof changeRoleSchema, UserChange> = {
  name: "users.changeRole",
  capability: "users:write",
  schema: changeRoleSchema,
  revalidate: userPaths,
  successMessage: (data) =>
    data?.changed ? `Role changed. ${data.email} has to sign in again.` : "That is already the user's role.",
  handler: (input, actor) =>
    db.$transaction(async (tx) => {
      await lockAdminChanges(tx);
      const user = await tx.user.findUnique({ where: { id: input.userId }, select: guardSelect });
      if (!user) throw notFound("User");
      if (user.role === input.role) return { id: user.id, email: user.email, changed: false };
      if (input.role !== "ADMIN") await assertNotLastAdmin(tx, user, "demote");
      await tx.user.update({ where: { id: user.id }, data: { role: input.role, sessionVersion: { increment: 1 } } });
      await writeAudit(
        {
          actor,
          action: "user.role_changed",
          targetType: "user",
          targetId: user.id,
          details: { email: user.email, from: user.role, to: input.role },
        },
        tx,
      );
      return { id: user.id, email: user.email, changed: true };
    }),
};

export const setUserDisabledSpec: ActionSpec<typeof setDisabledSchema, UserChange & { disabled: boolean }> = {
  name: "users.setDisabled",
  capability: "users:write",
  schema: setDisabledSchema,
  revalidate: userPaths,
  successMessage: (data) => {
    if (!data?.changed) return data?.disabled ? "That user is already disabled." : "That user is already enabled.";
    return data.disabled ? `${data.email} is disabled and signed out everywhere.` : `${data.email} can sign in again.`;
  },
  handler: (input, actor) =>
    db.$transaction(async (tx) => {
      await lockAdminChanges(tx);
      const user = await tx.user.findUnique({ where: { id: input.userId }, select: guardSelect });
      if (!user) throw notFound("User");
      const result = { id: user.id, email: user.email, disabled: input.disabled };
      if (user.disabled === input.disabled) return { ...result, changed: false };
      if (input.disabled) await assertNotLastAdmin(tx, user, "disable");
      await tx.user.update({
        where: { id: user.id },
        // Re-enabling needs no bump: sessions from before the disable already carry an old version.
        data: input.disabled ? { disabled: true, sessionVersion: { increment: 1 } } : { disabled: false },
      });
      await writeAudit(
        {
          actor,
          action: input.disabled ? "user.disabled" : "user.enabled",
          targetType: "user",
          targetId: user.id,
          details: { email: user.email, role: user.role },
        },
        tx,
      );
      return { ...result, changed: true };
    }),
};

export const resetUserPasswordSpec: ActionSpec<typeof resetPasswordSchema, UserChange> = {
  name: "users.resetPassword",
  capability: "users:write",
  schema: resetPasswordSchema,
  secretFields: ["password"],
  revalidate: userPaths,
  successMessage: (data) =>
    `Password reset. Give ${data?.email ?? "the user"} the new password; their other sessions have ended.`,
  async handler(input, actor) {
    const passwordHash = await hashPassword(input.password);
    return db.$transaction(async (tx) => {
      const user = await tx.user.findUnique({ where: { id: input.userId }, select: { id: true, email: true } });
      if (!user) throw notFound("User");
      await tx.user.update({ where: { id: user.id }, data: { passwordHash, sessionVersion: { increment: 1 } } });
      await writeAudit(
        { actor, action: "user.password_reset", targetType: "user", targetId: user.id, details: { email: user.email } },
        tx,
      );
      return { ...user, changed: true };
    });
  },
};

export const userActionSpecs = [
  createUserSpec,
  changeUserRoleSpec,
  setUserDisabledSpec,
  resetUserPasswordSpec,
] as const;
