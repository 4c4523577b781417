// First-run setup, the one action without a session, against a database of its own (the suite's
// shared one already has users, and setup only works while there are none).
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "../support/test-database";

let database: TestDatabase;
// Loaded after DATABASE_URL points at the fresh database: the pool reads it when first used.
let modules: {
  db: typeof import("@/lib/db/client").db;
  pool: typeof import("@/lib/db/client").pool;
  executePublicAction: typeof import("@/lib/actions/define-action").executePublicAction;
  setupSpec: typeof import("@/lib/users/setup-spec").setupSpec;
  SETUP_DONE: string;
  setupAction: typeof import("@/app/setup/actions").setupAction;
};

beforeAll(async () => {
  database = await createTestDatabase("pc_setup");
  process.env.DATABASE_URL = database.url;
  const [{ db, pool }, { executePublicAction }, { setupSpec, SETUP_DONE }, { setupAction }] = await Promise.all([
    import("@/lib/db/client"),
    import("@/lib/actions/define-action"),
    import("@/lib/users/setup-spec"),
    import("@/app/setup/actions"),
  ]);
  modules = { db, pool, executePublicAction, setupSpec, SETUP_DONE, setupAction };
}, 60_000);

afterAll(async () => {
  await modules?.db.$disconnect();
  await modules?.pool.end().catch(() => undefined);
  await database?.drop();
});

const PASSWORD = "a long setup passphrase";
const address = () => `192.0.2.${Math.floor(Math.random() * 250)}-${randomUUID().slice(0, 8)}`;

function setupForm(email: string, confirm = PASSWORD): FormData {
  const form = new FormData();
  form.set("email", email);
  form.set("name", "First Admin");
  form.set("password", PASSWORD);
  form.set("confirmPassword", confirm);
  return form;
}

describe("first-run setup", () => {
  it("limits posts per address before any work, and other addresses are unaffected", async () => {
    const { executePublicAction, setupSpec, db } = modules;
    const spammer = address();
    for (let attempt = 1; attempt <= 10; attempt += 1) {
      const result = await executePublicAction(
        setupSpec(spammer),
        setupForm(`spam-${attempt}@example.test`, "does not match"),
      );
      expect(result).toMatchObject({ ok: false, fieldErrors: { confirmPassword: ["The passwords do not match."] } });
      expect(JSON.stringify(result)).not.toContain(PASSWORD);
    }
    // The 11th, even a valid one, is refused without creating anyone.
    const refused = await executePublicAction(setupSpec(spammer), setupForm("spam-valid@example.test"));
    expect(refused).toEqual({ ok: false, message: expect.stringMatching(/^Too many attempts, try again in \d+ s\.$/) });
    expect(await db.user.count()).toBe(0);
    const rows = await db.rateLimit.findMany({ where: { key: `setup:ip:${spammer}` } });
    expect(rows).toHaveLength(1);
    expect(rows[0]!.blockedUntil!.getTime()).toBeGreaterThan(Date.now());
    // Another address still gets its form checked.
    const other = await executePublicAction(setupSpec(address()), setupForm("other@example.test", "does not match"));
    expect(other.fieldErrors?.confirmPassword).toBeDefined();
  });

  it("concurrent setups create exactly one admin, audited once", async () => {
    const { executePublicAction, setupSpec, db, SETUP_DONE } = modules;
    const emails = Array.from({ length: 4 }, (_, index) => `first-${index}-${randomUUID().slice(0, 6)}@example.test`);
    const results = await Promise.all(
      emails.map((email) => executePublicAction(setupSpec(address()), setupForm(email))),
    );
    expect(results.filter((result) => result.ok)).toHaveLength(1);
    expect(results.filter((result) => !result.ok).map((result) => result.message)).toEqual([
      SETUP_DONE,
      SETUP_DONE,
      SETUP_DONE,
    ]);
    const users = await db.user.findMany({ select: { email: true, role: true } });
    expect(users).toHaveLength(1);
    expect(users[0]!.role).toBe("ADMIN");
    expect(emails[results.findIndex((result) => result.ok)]).toBe(users[0]!.email);
    expect(await db.auditEvent.count({ where: { action: "user.setup_first_admin" } })).toBe(1);
  });

  it("once an account exists, a post to the action is refused before it is counted or parsed", async () => {
    const { executePublicAction, setupSpec, setupAction, db, SETUP_DONE } = modules;
    const late = address();
    expect(await executePublicAction(setupSpec(late), setupForm("late@example.test"))).toEqual({
      ok: false,
      message: SETUP_DONE,
    });
    // Not counted: a refusal costs no rate-limit row (and no hash), whatever is posted.
    expect(await db.rateLimit.count({ where: { key: `setup:ip:${late}` } })).toBe(0);
    expect(await executePublicAction(setupSpec(late), "not a form")).toEqual({ ok: false, message: SETUP_DONE });
    // The server action itself, as Next calls it (origin check, then the same pipeline).
    expect(await setupAction(undefined, setupForm("direct@example.test"))).toEqual({ ok: false, message: SETUP_DONE });
    expect(await db.user.count()).toBe(1);
  });
});
