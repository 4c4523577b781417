import { randomUUID } from "node:crypto";
import { beforeAll, describe, expect, it } from "vitest";
import { db } from "@/lib/db/client";
import { hashPassword } from "@/lib/auth/password";
import { signInWithPassword, SignInError } from "@/lib/auth/sign-in";

const PASSWORD = "the right passphrase";
const WRONG = "Wrong email or password.";
const TOO_MANY = /^Too many attempts, try again in (\d+) s\.$/;

// Every test uses its own accounts and client IPs: the rate-limit rows live in the shared database.
const suffix = () => randomUUID().slice(0, 8);
let ipCounter = 0;
const freshIp = () => `10.${process.pid % 250}.${Math.floor(++ipCounter / 250)}.${ipCounter % 250}-${suffix()}`;

let passwordHash: string;
beforeAll(async () => {
  passwordHash = await hashPassword(PASSWORD);
});

async function createUser(overrides: { disabled?: boolean } = {}) {
  return db.user.create({
    data: {
      email: `signin-${suffix()}@example.test`,
      name: "Signer",
      role: "FINANCE",
      passwordHash,
      disabled: overrides.disabled ?? false,
    },
    select: { id: true, email: true, sessionVersion: true },
  });
}

/** The error message a sign-in fails with (fails the test if it succeeds or throws something else). */
async function failure(input: unknown, ip: string): Promise<string> {
  const error = await signInWithPassword(input, ip).then(
    () => null,
    (thrown: unknown) => thrown,
  );
  expect(error).toBeInstanceOf(SignInError);
  return (error as SignInError).message;
}

describe("signInWithPassword", () => {
  it("accepts the right password, case- and space-insensitive on the email, and audits it", async () => {
    const user = await createUser();
    const signedIn = await signInWithPassword(
      { email: `  ${user.email.toUpperCase()} `, password: PASSWORD },
      freshIp(),
    );
    expect(signedIn).toEqual({
      id: user.id,
      email: user.email,
      name: "Signer",
      role: "FINANCE",
      sessionVersion: user.sessionVersion,
    });
    expect(JSON.stringify(signedIn)).not.toContain("argon2");
    expect(await db.auditEvent.count({ where: { action: "auth.sign_in", targetId: user.id } })).toBe(1);
  });

  it("refuses a wrong password and audits the failure without the password", async () => {
    const user = await createUser();
    expect(await failure({ email: user.email, password: "not the passphrase" }, freshIp())).toBe(WRONG);
    const events = await db.auditEvent.findMany({
      where: { action: "auth.sign_in_failed", targetId: user.id },
      select: { details: true },
    });
    expect(events).toHaveLength(1);
    expect(JSON.stringify(events)).not.toContain("not the passphrase");
  });

  it("answers an unknown email with the same error as a wrong password", async () => {
    expect(await failure({ email: `nobody-${suffix()}@example.test`, password: PASSWORD }, freshIp())).toBe(WRONG);
  });

  it("refuses malformed input with a plain message", async () => {
    expect(await failure({ email: "not-an-email", password: PASSWORD }, freshIp())).toBe(
      "Enter a valid email and password.",
    );
    expect(await failure(null, freshIp())).toBe("Enter a valid email and password.");
    expect(await failure({ email: "a@example.test", password: "x".repeat(5000) }, freshIp())).toBe(
      "Enter a valid email and password.",
    );
  });

  it("refuses a disabled user, saying so only to someone with the right password", async () => {
    const user = await createUser({ disabled: true });
    expect(await failure({ email: user.email, password: PASSWORD }, freshIp())).toBe("This account is disabled.");
    expect(await failure({ email: user.email, password: "not the passphrase" }, freshIp())).toBe(WRONG);
  });

  it("blocks an (account, address) pair after 5 failures, even with the right password, but not the same account from another address", async () => {
    const user = await createUser();
    const attacker = freshIp();
    for (let attempt = 1; attempt <= 4; attempt += 1) {
      expect(await failure({ email: user.email, password: `wrong ${attempt}` }, attacker)).toBe(WRONG);
    }
    const fifth = await failure({ email: user.email, password: "wrong 5" }, attacker);
    expect(fifth).toMatch(TOO_MANY);
    const seconds = Number(TOO_MANY.exec(fifth)?.[1]);
    expect(seconds).toBeGreaterThan(850);
    expect(seconds).toBeLessThanOrEqual(900);
    expect(await failure({ email: user.email, password: PASSWORD }, attacker)).toMatch(TOO_MANY);
    // The owner, from an address with no failures, is not affected; nor is another account from the attacker's address.
    await expect(signInWithPassword({ email: user.email, password: PASSWORD }, freshIp())).resolves.toMatchObject({
      id: user.id,
    });
    const other = await createUser();
    await expect(signInWithPassword({ email: other.email, password: PASSWORD }, attacker)).resolves.toMatchObject({
      id: other.id,
    });
  });

  it("wrong passwords from many addresses never lock the owner out", async () => {
    const user = await createUser();
    const attackers = Array.from({ length: 8 }, freshIp);
    for (const address of attackers) {
      for (let attempt = 1; attempt <= 6; attempt += 1)
        await failure({ email: user.email, password: `guess ${attempt}` }, address);
      expect(await failure({ email: user.email, password: PASSWORD }, address)).toMatch(TOO_MANY);
    }
    // 48 failures against the account; the right password from a clean address still signs in, at once.
    const started = Date.now();
    await expect(
      signInWithPassword({ email: `  ${user.email} `, password: PASSWORD }, freshIp()),
    ).resolves.toMatchObject({ id: user.id });
    expect(Date.now() - started).toBeLessThan(10_000); // no delay for the owner either (generous for a loaded CI host)
  });

  it("a success clears the pair's failure count", async () => {
    const user = await createUser();
    const ip = freshIp();
    for (let attempt = 1; attempt <= 4; attempt += 1)
      expect(await failure({ email: user.email, password: `wrong ${attempt}` }, ip)).toBe(WRONG);
    await signInWithPassword({ email: user.email, password: PASSWORD }, ip);
    for (let attempt = 1; attempt <= 4; attempt += 1)
      expect(await failure({ email: user.email, password: `again ${attempt}` }, ip)).toBe(WRONG);
    expect(await failure({ email: user.email, password: "again 5" }, ip)).toMatch(TOO_MANY);
  });

  it("blocks an IP after 30 failures across accounts, but not other IPs", async () => {
    const ip = freshIp();
    const messages: string[] = [];
    for (let attempt = 1; attempt <= 30; attempt += 1) {
      messages.push(await failure({ email: `spray-${attempt}-${suffix()}@example.test`, password: "guess" }, ip));
    }
    expect(messages.slice(0, 29).every((message) => message === WRONG)).toBe(true);
    expect(messages[29]).toMatch(TOO_MANY);
    const user = await createUser();
    expect(await failure({ email: user.email, password: PASSWORD }, ip)).toMatch(TOO_MANY);
    await expect(signInWithPassword({ email: user.email, password: PASSWORD }, freshIp())).resolves.toMatchObject({
      id: user.id,
    });
  });

  it("a burst of concurrent guesses from one address gets no more checks than the limit allows", async () => {
    const user = await createUser();
    const ip = freshIp();
    // 20 wrong guesses at once: an attempt must be counted before its password is checked, or
    // every guess in the burst passes the block check together.
    const guesses = Array.from({ length: 20 }, (_, index) => `wrong ${index}`);
    const outcomes = await Promise.all(
      guesses.map((password) =>
        signInWithPassword({ email: user.email, password }, ip).then(
          () => "signed in",
          (error: Error) => error.message,
        ),
      ),
    );
    expect(outcomes.filter((outcome) => outcome === WRONG).length).toBeLessThanOrEqual(4);
    expect(outcomes.filter((outcome) => TOO_MANY.test(outcome)).length).toBeGreaterThanOrEqual(16);
    // Each guess's password check is audited: at most the limit (5) were checked.
    expect(
      await db.auditEvent.count({ where: { action: "auth.sign_in_failed", targetId: user.id } }),
    ).toBeLessThanOrEqual(5);
    expect(await failure({ email: user.email, password: PASSWORD }, ip)).toMatch(TOO_MANY);
  });

  it("successful sign-ins do not use up an IP's allowance of failures", async () => {
    const ip = freshIp();
    for (let attempt = 1; attempt <= 29; attempt += 1) {
      expect(await failure({ email: `office-${attempt}-${suffix()}@example.test`, password: "guess" }, ip)).toBe(WRONG);
    }
    for (let round = 0; round < 3; round += 1) {
      const user = await createUser();
      await expect(signInWithPassword({ email: user.email, password: PASSWORD }, ip)).resolves.toMatchObject({
        id: user.id,
      });
    }
    expect(await failure({ email: `office-last-${suffix()}@example.test`, password: "guess" }, ip)).toMatch(TOO_MANY);
  });
});

describe("signInWithPassword over IPv6", () => {
  it("counts an IPv6 client by its /64, so changing address within it does not reset the limit", async () => {
    const user = await createUser();
    const prefix = `2001:db8:${(process.pid % 65_000).toString(16)}:${Math.floor(Math.random() * 65_000).toString(16)}`;
    for (let attempt = 1; attempt <= 4; attempt += 1) {
      expect(await failure({ email: user.email, password: `wrong ${attempt}` }, `${prefix}::${attempt}`)).toBe(WRONG);
    }
    expect(await failure({ email: user.email, password: "wrong 5" }, `${prefix}:0:0:0:5`)).toMatch(TOO_MANY);
    expect(await failure({ email: user.email, password: PASSWORD }, `${prefix}::abcd`)).toMatch(TOO_MANY);
    // Another /64 is another client.
    await expect(
      signInWithPassword({ email: user.email, password: PASSWORD }, `2001:db8:ffff:${prefix.split(":")[3]}::1`),
    ).resolves.toMatchObject({ id: user.id });
  });
});
