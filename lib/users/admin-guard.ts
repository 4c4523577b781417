import "server-only";
import type { Prisma } from "@/lib/generated/prisma/client";
import { conflict } from "@/lib/errors/domain-error";

type Tx = Prisma.TransactionClient;

/**
 * Serialises every change that can take away admin rights (demote, disable) for the rest of the
 * transaction. Without it two admins demoting each other at the same moment would each see the
 * other still enabled and commit, leaving nobody able to administer the console. A transaction
 * advisory lock (rather than FOR UPDATE on the admin rows) also covers a concurrent promotion,
 * which adds a row no earlier FOR UPDATE could have locked.
 */
export async function lockAdminChanges(tx: Tx): Promise<void> {
  await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext('console.admin-changes'))`;
}

/**
 * Refuses when `userId` is an enabled admin and no other enabled admin exists. Call after
 * lockAdminChanges in the same transaction, so the count cannot change before the commit.
 */
export async function assertNotLastAdmin(
  tx: Tx,
  user: { id: string; email: string; role: string; disabled: boolean },
  what: "demote" | "disable",
): Promise<void> {
  if (user.role !== "ADMIN" || user.disabled) return;
  const others = await tx.user.count({ where: { role: "ADMIN", disabled: false, id: { not: user.id } } });
  if (others > 0) return;
  throw conflict(
    `${user.email} is the last enabled admin and cannot be ${what === "demote" ? "given another role" : "disabled"}. Make another user an admin first.`,
    what === "demote" ? { role: ["The console needs at least one enabled admin."] } : undefined,
  );
}
