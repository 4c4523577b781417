import { randomUUID } from "node:crypto";
import { beforeAll, describe, expect, it } from "vitest";
import { db } from "@/lib/db/client";
import { executeAction } from "@/lib/actions/define-action";
import { hashPassword, verifyPassword } from "@/lib/auth/password";
import type { Actor } from "@/lib/auth/session";
import type { RoleName } from "@/lib/auth/roles";
import {
  changeUserRoleSpec,
  createUserSpec,
  resetUserPasswordSpec,
  setUserDisabledSpec,
  userActionSpecs,
} from "@/lib/users/action-specs";
import { createActor } from "../support/actors";

const suffix = () => randomUUID().slice(0, 8);
const PASSWORD = "a sturdy initial passphrase";
const NEW_PASSWORD = "another sturdy passphrase";

async function createTarget(role: RoleName = "VIEWER", disabled = false) {
  return db.user.create({
    data: {
      email: `target-${suffix()}@example.test`,
      name: "Target",
      role,
      disabled,
      passwordHash: await hashPassword(PASSWORD),
    },
    select: { id: true, email: true, role: true, disabled: true, sessionVersion: true },
  });
}

const userRow = (id: string) =>
  db.user.findUniqueOrThrow({
    where: { id },
    select: { role: true, disabled: true, sessionVersion: true, passwordHash: true },
  });
const auditFor = (targetId: string) =>
  db.auditEvent.findMany({
    where: { targetId },
    orderBy: { id: "asc" },
    select: { action: true, actorId: true, details: true },
  });

// Everything a refused or invalid call must leave untouched.
async function snapshot() {
  const [users, audit] = await Promise.all([
    db.user.findMany({
      orderBy: { id: "asc" },
      select: {
        id: true,
        email: true,
        name: true,
        role: true,
        disabled: true,
        sessionVersion: true,
        passwordHash: true,
      },
    }),
    db.auditEvent.count(),
  ]);
  return { users, audit };
}

let admin: Actor;
beforeAll(async () => {
  admin = await createActor("ADMIN");
});

describe("creating a user", () => {
  it("stores the user with a hashed password and audits it without the password", async () => {
    const email = `new-${suffix()}@example.test`;
    const result = await executeAction(createUserSpec, admin, {
      email: `  ${email.toUpperCase()} `,
      name: "New Person",
      role: "FINANCE",
      password: PASSWORD,
    });
    expect(result).toMatchObject({ ok: true, data: { email, changed: true } });
    const user = await db.user.findUniqueOrThrow({ where: { email } });
    expect(user).toMatchObject({ name: "New Person", role: "FINANCE", disabled: false });
    expect(user.passwordHash).not.toContain(PASSWORD);
    expect(await verifyPassword(user.passwordHash ?? "", PASSWORD)).toBe(true);
    const events = await auditFor(user.id);
    expect(events).toEqual([
      { action: "user.created", actorId: admin.id, details: { email, name: "New Person", role: "FINANCE" } },
    ]);
    expect(JSON.stringify(result)).not.toContain(PASSWORD);
  });

  it("answers a duplicate email (in any case) with a field error", async () => {
    const target = await createTarget();
    const before = await snapshot();
    const result = await executeAction(createUserSpec, admin, {
      email: target.email.toUpperCase(),
      name: "",
      role: "VIEWER",
      password: PASSWORD,
    });
    expect(result.ok).toBe(false);
    expect(result.fieldErrors?.email).toEqual(["A user with this email already exists."]);
    expect(result.values?.email).toBe(target.email.toUpperCase());
    expect(result.values?.password).toBeUndefined();
    expect(await snapshot()).toEqual(before);
  });

  it("lets exactly one of two concurrent creations of the same email win", async () => {
    const email = `race-${suffix()}@example.test`;
    const input = { email, name: "", role: "VIEWER", password: PASSWORD };
    const results = await Promise.all([
      executeAction(createUserSpec, admin, input),
      executeAction(createUserSpec, admin, input),
    ]);
    expect(results.filter((result) => result.ok)).toHaveLength(1);
    expect(results.find((result) => !result.ok)?.fieldErrors?.email).toEqual([
      "A user with this email already exists.",
    ]);
    expect(await db.user.count({ where: { email } })).toBe(1);
  });
});

describe("changing a role", () => {
  it("changes the role, ends the user's sessions and audits from and to", async () => {
    const target = await createTarget("FINANCE");
    const result = await executeAction(changeUserRoleSpec, admin, { userId: target.id, role: "VIEWER" });
    expect(result).toMatchObject({ ok: true, data: { changed: true } });
    expect(await userRow(target.id)).toMatchObject({ role: "VIEWER", sessionVersion: target.sessionVersion + 1 });
    expect(await auditFor(target.id)).toEqual([
      {
        action: "user.role_changed",
        actorId: admin.id,
        details: { email: target.email, from: "FINANCE", to: "VIEWER" },
      },
    ]);
  });

  it("treats the same role as no change: no session bump, no audit event", async () => {
    const target = await createTarget("VIEWER");
    const result = await executeAction(changeUserRoleSpec, admin, { userId: target.id, role: "VIEWER" });
    expect(result).toMatchObject({ ok: true, data: { changed: false } });
    expect((await userRow(target.id)).sessionVersion).toBe(target.sessionVersion);
    expect(await auditFor(target.id)).toEqual([]);
  });

  it("answers an unknown user with not found", async () => {
    const result = await executeAction(changeUserRoleSpec, admin, { userId: randomUUID(), role: "VIEWER" });
    expect(result).toMatchObject({ ok: false, message: "User was not found." });
  });
});

describe("disabling and enabling", () => {
  it("disables with a session bump, then re-enables, auditing both", async () => {
    const target = await createTarget("FINANCE");
    expect(await executeAction(setUserDisabledSpec, admin, { userId: target.id, disabled: "true" })).toMatchObject({
      ok: true,
    });
    expect(await userRow(target.id)).toMatchObject({ disabled: true, sessionVersion: target.sessionVersion + 1 });
    expect(await executeAction(setUserDisabledSpec, admin, { userId: target.id, disabled: false })).toMatchObject({
      ok: true,
    });
    // Sessions from before the disable stay dead: their version is still the old one.
    expect(await userRow(target.id)).toMatchObject({ disabled: false, sessionVersion: target.sessionVersion + 1 });
    expect((await auditFor(target.id)).map((event) => event.action)).toEqual(["user.disabled", "user.enabled"]);
  });

  it("treats disabling a disabled user as no change", async () => {
    const target = await createTarget("VIEWER", true);
    const result = await executeAction(setUserDisabledSpec, admin, { userId: target.id, disabled: "true" });
    expect(result).toMatchObject({ ok: true, data: { changed: false } });
    expect(await auditFor(target.id)).toEqual([]);
  });
});

describe("resetting a password", () => {
  it("replaces the hash, ends sessions and audits without the password or hash", async () => {
    const target = await createTarget("VIEWER");
    const result = await executeAction(resetUserPasswordSpec, admin, { userId: target.id, password: NEW_PASSWORD });
    expect(result.ok).toBe(true);
    const row = await userRow(target.id);
    expect(row.sessionVersion).toBe(target.sessionVersion + 1);
    expect(await verifyPassword(row.passwordHash ?? "", NEW_PASSWORD)).toBe(true);
    expect(await verifyPassword(row.passwordHash ?? "", PASSWORD)).toBe(false);
    const events = await auditFor(target.id);
    expect(events).toEqual([{ action: "user.password_reset", actorId: admin.id, details: { email: target.email } }]);
    const text = JSON.stringify({ events, result });
    expect(text).not.toContain(NEW_PASSWORD);
    expect(text).not.toContain("$argon2");
  });

  it("refuses a weak password with a field error and never echoes it", async () => {
    const target = await createTarget("VIEWER");
    const result = await executeAction(resetUserPasswordSpec, admin, { userId: target.id, password: "short" });
    expect(result.ok).toBe(false);
    expect(result.fieldErrors?.password).toBeDefined();
    expect(result.values?.password).toBeUndefined();
  });
});

describe("every user action refuses every role but ADMIN", () => {
  const validInput: Record<string, (target: { id: string }) => Record<string, unknown>> = {
    "users.create": () => ({
      email: `made-${suffix()}@example.test`,
      name: "Made",
      role: "VIEWER",
      password: PASSWORD,
    }),
    "users.changeRole": (target) => ({ userId: target.id, role: "FINANCE" }),
    "users.setDisabled": (target) => ({ userId: target.id, disabled: "true" }),
    "users.resetPassword": (target) => ({ userId: target.id, password: NEW_PASSWORD }),
  };
  const roles: (RoleName | null)[] = ["ADMIN", "FINANCE", "VIEWER", null];
  const cases = userActionSpecs.flatMap((spec) =>
    roles.map((role) => [spec.name, role ?? "anonymous", spec, role] as const),
  );

  it("has a valid input for every spec", () => {
    for (const spec of userActionSpecs) expect(validInput[spec.name], spec.name).toBeDefined();
  });

  it.each(cases)("%s as %s", async (_name, _label, spec, role) => {
    const actor = role ? await createActor(role) : null;
    const target = await createTarget("VIEWER");
    const input = validInput[spec.name]!(target);
    const before = await snapshot();
    // The specs differ in input type; executeAction parses unknown input, which is the point.
    const result = await executeAction(spec as typeof createUserSpec, actor, input);
    if (role === "ADMIN") {
      expect(result, JSON.stringify(result)).toMatchObject({ ok: true });
      return;
    }
    expect(result.ok).toBe(false);
    expect(result.message).toBe(
      role ? "Your role does not allow this action." : "Your session has ended. Sign in again.",
    );
    expect(await snapshot()).toEqual(before);
  });
});
