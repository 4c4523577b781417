import { randomUUID } from "node:crypto";
import { db } from "@/lib/db/client";
import type { Actor } from "@/lib/auth/session";
import type { RoleName } from "@/lib/auth/roles";

/** A real user row for each role, so audit rows and foreign keys point at something that exists. */
export async function createActor(role: RoleName): Promise<Actor> {
  const email = `${role.toLowerCase()}-${randomUUID().slice(0, 8)}@example.test`;
  const user = await db.user.create({
    data: { email, name: `${role} tester`, role, passwordHash: "not-a-real-hash" },
    select: { id: true, email: true, name: true, role: true },
  });
  return user;
}

/** What getServerSession resolves to for this actor (null: anonymous), for tests that mock next-auth. */
export function sessionOf(actor: Actor | null) {
  if (!actor) return null;
  const user = { id: actor.id, email: actor.email, name: "", role: actor.role, sessionVersion: 1, sid: randomUUID() };
  return { user, expires: "" };
}
