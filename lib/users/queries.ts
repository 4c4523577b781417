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

export type UserListItem = Prisma.UserGetPayload<{ select: typeof userListSelect }>;

export const userDetailSelect = { ...userListSelect, updatedAt: true } satisfies Prisma.UserSelect;

export type UserDetail = Prisma.UserGetPayload<{ select: typeof userDetailSelect }>;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function countUsers(): Promise<number> {
  return db.user.count();
}

export function listUsers(): Promise<UserListItem[]> {
  return db.user.findMany({ select: userListSelect, orderBy: [{ disabled: "asc" }, { email: "asc" }] });
}

/** Null for an unknown or malformed id, so a page answers 404 rather than a database error. */
export function getUser(id: string): Promise<UserDetail | null> {
  if (!UUID.test(id)) return Promise.resolve(null);
  return db.user.findUnique({ where: { id }, select: userDetailSelect });
}

export function countEnabledAdmins(): Promise<number> {
  return db.user.count({ where: { role: "ADMIN", disabled: false } });
}
