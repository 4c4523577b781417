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

export function countUsers(): Promise<number> {
  return db.user.count();
}

export function listUsers(): Promise<UserListItem[]> {
  return db.user.findMany({ select: userListSelect, orderBy: [{ disabled: "asc" }, { email: "asc" }] });
}
