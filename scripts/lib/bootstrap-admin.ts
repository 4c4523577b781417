import pg from "pg";
import { hashPassword } from "../../lib/auth/password";
import { passwordSchema } from "../../lib/users/password-policy";

/**
 * Creates the first admin from ADMIN_EMAIL / ADMIN_PASSWORD when no user exists (automated
 * setups). Returns whether any user exists afterwards, so the start banner can point a person
 * at /setup or /login.
 */
export async function bootstrapAdmin(databaseUrl: string, log: (line: string) => void): Promise<boolean> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const email = process.env.ADMIN_EMAIL?.trim().toLowerCase();
    const password = process.env.ADMIN_PASSWORD;
    if (email && password) {
      const strength = passwordSchema.safeParse(password);
      if (!strength.success) throw new Error(`ADMIN_PASSWORD is too weak: ${strength.error.issues[0]?.message}`);
      const passwordHash = await hashPassword(password);
      // The advisory lock makes two instances starting together create at most one admin.
      await client.query("BEGIN");
      await client.query("SELECT pg_advisory_xact_lock(hashtext('console.bootstrap-admin'))");
      const { rows } = await client.query<{ n: string }>("SELECT count(*) AS n FROM users");
      if (Number(rows[0]?.n) === 0) {
        const inserted = await client.query<{ id: string }>(
          "INSERT INTO users (id, email, name, password_hash, role, updated_at) VALUES (gen_random_uuid(), $1, 'Administrator', $2, 'ADMIN', now()) RETURNING id",
          [email, passwordHash],
        );
        await client.query(
          "INSERT INTO audit_events (actor_email, action, target_type, target_id, details) VALUES ('system', 'user.bootstrap_admin', 'user', $1, $2)",
          [inserted.rows[0]?.id, JSON.stringify({ email, source: "ADMIN_EMAIL" })],
        );
        log(`Created the first admin ${email} from ADMIN_EMAIL / ADMIN_PASSWORD.`);
      }
      await client.query("COMMIT");
    }
    const { rows } = await client.query<{ n: string }>("SELECT count(*) AS n FROM users");
    return Number(rows[0]?.n) > 0;
  } catch (error) {
    await client.query("ROLLBACK").catch(() => undefined);
    throw error;
  } finally {
    await client.end();
  }
}
