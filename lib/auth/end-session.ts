import "server-only";
import type { JWT } from "next-auth/jwt";
import { db } from "@/lib/db/client";
import { writeAudit } from "@/lib/audit/write-audit";
import {
  SESSION_MAX_AGE_SECONDS,
  sessionAbsoluteLifetimeSeconds,
  sessionClaimsValid,
} from "@/lib/auth/session-lifetime";

/**
 * Ends a session on the server (sign-out): its sid is listed in ended_sessions, which
 * currentActor and /api/auth/session check, so a copied cookie stops working too.
 */
export async function endSession(token: JWT | null | undefined): Promise<void> {
  if (!token || typeof token.sub !== "string" || !sessionClaimsValid(token)) return;
  const now = Date.now();
  // After sign-out the session can no longer be renewed, so no cookie of it outlives both bounds.
  const expiresAt = new Date(
    Math.min((token.authTime! + sessionAbsoluteLifetimeSeconds()) * 1000, now + SESSION_MAX_AGE_SECONDS * 1000),
  );
  await db.$transaction(async (tx) => {
    await tx.endedSession.deleteMany({ where: { expiresAt: { lt: new Date(now) } } });
    await tx.endedSession.createMany({
      data: [{ sid: token.sid!, userId: token.sub!, expiresAt }],
      skipDuplicates: true,
    });
    await writeAudit(
      {
        actor: { id: token.sub!, email: token.email ?? "" },
        action: "auth.sign_out",
        targetType: "user",
        targetId: token.sub!,
      },
      tx,
    );
  });
}
