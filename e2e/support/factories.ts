import { randomUUID } from "node:crypto";
import { hashPassword } from "../../lib/auth/password";
import { query } from "./db";

export type Role = "ADMIN" | "FINANCE" | "VIEWER";
export const TEST_PASSWORD = "correct horse battery staple";

let cachedHash: Promise<string> | undefined;

export async function createUser(
  role: Role,
  overrides: { email?: string; disabled?: boolean } = {},
): Promise<{ id: string; email: string; password: string }> {
  cachedHash ??= hashPassword(TEST_PASSWORD);
  const email = overrides.email ?? `${role.toLowerCase()}-${randomUUID().slice(0, 8)}@example.test`;
  const rows = await query<{ id: string }>(
    `INSERT INTO users (id, email, name, password_hash, role, disabled, updated_at)
     VALUES (gen_random_uuid(), $1, $2, $3, $4, $5, now()) RETURNING id`,
    [email, `${role} user`, await cachedHash, role, overrides.disabled ?? false],
  );
  return { id: rows[0]!.id, email, password: TEST_PASSWORD };
}

/** Makes sure some user exists so /setup redirects to /login. */
export async function ensureAdmin(): Promise<{ id: string; email: string; password: string }> {
  return createUser("ADMIN");
}
