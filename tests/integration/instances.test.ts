// Two `next start` instances on different ports over one PostgreSQL, with the same NEXTAUTH_SECRET
// and master keys, behave as one console: sessions, sign-in limits and scheduled jobs are shared.
import { randomUUID } from "node:crypto";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { db } from "@/lib/db/client";
import { hashPassword } from "@/lib/auth/password";
import { runExclusive } from "@/lib/jobs/run-exclusive";
import { ensureBuild, sessionEmail, signIn, signOut, sleep, startConsole, type ConsoleProcess } from "./faults-support";

ensureBuild();

let a: ConsoleProcess | undefined;
let b: ConsoleProcess | undefined;

async function createUser(password: string): Promise<string> {
  const email = `inst-${randomUUID().slice(0, 8)}@example.test`;
  await db.user.create({
    data: { email, name: "Instances", role: "VIEWER", passwordHash: await hashPassword(password) },
  });
  return email;
}

beforeAll(async () => {
  const url = process.env.DATABASE_URL!;
  // As behind one reverse proxy, so each sign-in can name its client address in X-Forwarded-For.
  const behindProxy = { TRUSTED_PROXY_HOPS: "1" };
  [a, b] = await Promise.all([startConsole(url, behindProxy), startConsole(url, behindProxy)]);
}, 180_000);
afterAll(async () => {
  await Promise.all([a?.stop(), b?.stop()]);
}, 30_000);

describe("two instances, one database", () => {
  test("a session cookie from instance A is valid on instance B", async () => {
    const email = await createUser("instances-password-1");
    const { jar, signedIn } = await signIn(a!.url, email, "instances-password-1");
    expect(signedIn).toBe(true);
    expect(await sessionEmail(a!.url, jar)).toBe(email);
    expect(await sessionEmail(b!.url, jar)).toBe(email);
  });

  test("signing out on instance A ends the session on instance B: a cookie copied before sign-out reads nothing there", async () => {
    const email = await createUser("instances-password-3");
    const { jar, signedIn } = await signIn(a!.url, email, "instances-password-3");
    expect(signedIn).toBe(true);
    const copied = new Map(jar);
    expect(await sessionEmail(b!.url, copied)).toBe(email);
    expect((await signOut(a!.url, jar)).status).toBeLessThan(400);
    expect(await sessionEmail(b!.url, copied)).toBeNull();
    expect(await sessionEmail(a!.url, copied)).toBeNull();
  });

  test("sign-in failures from one address split across A and B block that (account, address) pair on both, not the owner elsewhere", async () => {
    const email = await createUser("instances-password-2");
    for (let i = 0; i < 5; i += 1) {
      const target = i % 2 === 0 ? a! : b!;
      expect((await signIn(target.url, email, "wrong-password", "198.51.100.10")).signedIn).toBe(false);
    }
    expect((await signIn(a!.url, email, "instances-password-2", "198.51.100.10")).signedIn).toBe(false);
    expect((await signIn(b!.url, email, "instances-password-2", "198.51.100.10")).signedIn).toBe(false);
    expect((await signIn(b!.url, email, "instances-password-2", "198.51.100.51")).signedIn).toBe(true);
  });

  test("a scheduled job runs once across instances: the advisory lock admits one runner", async () => {
    // Two pools stand for two processes: advisory locks are per connection, whatever the process.
    const pools = [
      new pg.Pool({ connectionString: process.env.DATABASE_URL, max: 2 }),
      new pg.Pool({ connectionString: process.env.DATABASE_URL, max: 2 }),
    ];
    try {
      const name = `test.job.${randomUUID()}`;
      let runs = 0;
      const job = async () => {
        runs += 1;
        await sleep(400);
        return "done";
      };
      const outcomes = await Promise.all([
        runExclusive(name, job, pools[0]),
        runExclusive(name, job, pools[1]),
        runExclusive(name, job, pools[0]),
      ]);
      expect(runs).toBe(1);
      expect(outcomes.filter((o) => o.ran)).toHaveLength(1);
      // Released afterwards: the next tick runs again.
      expect((await runExclusive(name, job, pools[1])).ran).toBe(true);
      expect(runs).toBe(2);
    } finally {
      await Promise.all(pools.map((pool) => pool.end()));
    }
  });
});
