import "server-only";
import type { Prisma } from "@/lib/generated/prisma/client";
import { db } from "@/lib/db/client";

// The password hash is never selected outside lib/auth.
export const userListSelect = {
  id: true,
  email: true,
  name: true,
  role: true,
  disabled: true,
  createdAt: true,
} satisfies Prisma.UserSelect;

/** How a user signs in: a password, single sign-on (linked to an IdP subject), or either. */
export type SignInMethod = "password" | "sso" | "both";

// Read to derive signInMethod and dropped before the row leaves this module: the hash never does.
const signInFacts = { passwordHash: true, ssoSubject: true } satisfies Prisma.UserSelect;

function withSignInMethod<T extends { passwordHash: string | null; ssoSubject: string | null }>(
  row: T,
): Omit<T, "passwordHash" | "ssoSubject"> & { signInMethod: SignInMethod } {
  const { passwordHash, ssoSubject, ...rest } = row;
  const signInMethod = passwordHash !== null && ssoSubject !== null ? "both" : ssoSubject !== null ? "sso" : "password";
  return { ...rest, signInMethod };
}

export type UserListItem = Prisma.UserGetPayload<{ select: typeof userListSelect }> & { signInMethod: SignInMethod };

export const userDetailSelect = { ...userListSelect, updatedAt: true } satisfies Prisma.UserSelect;

export type UserDetail = Prisma.UserGetPayload<{ select: typeof userDetailSelect }> & { signInMethod: SignInMethod };

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function countUsers(): Promise<number> {
  return db.user.count();
}

export async function listUsers(): Promise<UserListItem[]> {
  const rows = await db.user.findMany({
    select: { ...userListSelect, ...signInFacts },
    orderBy: [{ disabled: "asc" }, { email: "asc" }],
  });
  return rows.map(withSignInMethod);
}

/** Null for an unknown or malformed id, so a page answers 404 rather than a database error. */
export async function getUser(id: string): Promise<UserDetail | null> {
  if (!UUID.test(id)) return null;
  const row = await db.user.findUnique({ where: { id }, select: { ...userDetailSelect, ...signInFacts } });
  return row ? withSignInMethod(row) : null;
}

export function countEnabledAdmins(): Promise<number> {
  return db.user.count({ where: { role: "ADMIN", disabled: false } });
}
