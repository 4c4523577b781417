import "server-only";
import { db } from "@/lib/db/client";
import { hashPassword } from "@/lib/auth/password";
import { writeAudit } from "@/lib/audit/write-audit";
import { DomainError } from "@/lib/errors/domain-error";

const SETUP_COMPLETE = "Setup is already complete. Sign in instead.";

/**
 * Creates the first admin, only while no user exists. The advisory lock serialises concurrent
 * setup submissions so two people racing the setup page cannot both become admin.
 */
export async function createFirstAdmin(input: { email: string; name: string; password: string }): Promise<void> {
  // Checked before the (deliberately slow) hash as well as under the lock.
  if ((await db.user.count()) > 0) throw new DomainError("CONFLICT", SETUP_COMPLETE);
  const passwordHash = await hashPassword(input.password);
  await db.$transaction(async (tx) => {
    await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext('console.bootstrap-admin'))`;
    if ((await tx.user.count()) > 0) {
      throw new DomainError("CONFLICT", SETUP_COMPLETE);
    }
    const user = await tx.user.create({
      data: { email: input.email, name: input.name || "Administrator", passwordHash, role: "ADMIN" },
      select: { id: true, email: true },
    });
    await writeAudit(
      {
        actor: user,
        action: "user.setup_first_admin",
        targetType: "user",
        targetId: user.id,
        details: { email: user.email },
      },
      tx,
    );
  });
}
