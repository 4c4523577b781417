import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { db } from "@/lib/db/client";
import { executeAction } from "@/lib/actions/define-action";
import type { Actor } from "@/lib/auth/session";
import { changeUserRoleSpec, setUserDisabledSpec } from "@/lib/users/action-specs";

// The guard counts every enabled admin in the database, and the integration files share one
// database. Files run one after another, so this file parks the other files' admins (disabled)
// for its duration and gives them back afterwards.
let parked: string[] = [];
let a: Actor;
let b: Actor;

async function admin(label: string): Promise<Actor> {
  return db.user.create({
    data: {
      email: `${label}-${randomUUID().slice(0, 8)}@example.test`,
      name: label,
      role: "ADMIN",
      passwordHash: "not-a-real-hash",
    },
    select: { id: true, email: true, name: true, role: true },
  });
}

const enabledAdmins = () => db.user.findMany({ where: { role: "ADMIN", disabled: false }, select: { id: true } });

beforeAll(async () => {
  parked = (await enabledAdmins()).map((row) => row.id);
  await db.user.updateMany({ where: { id: { in: parked } }, data: { disabled: true } });
  a = await admin("admin-a");
  b = await admin("admin-b");
});

afterAll(async () => {
  await db.user.updateMany({ where: { id: { in: parked } }, data: { disabled: false } });
  await db.user.updateMany({ where: { id: { in: [a.id, b.id] } }, data: { disabled: true } });
});

// Each test starts with exactly two enabled admins, a and b.
beforeEach(async () => {
  await db.user.updateMany({ where: { id: { in: [a.id, b.id] } }, data: { role: "ADMIN", disabled: false } });
  expect((await enabledAdmins()).map((row) => row.id).sort()).toEqual([a.id, b.id].sort());
});

describe("the last enabled admin", () => {
  it("cannot demote themselves once the other admin is demoted", async () => {
    expect(await executeAction(changeUserRoleSpec, a, { userId: b.id, role: "VIEWER" })).toMatchObject({ ok: true });
    const result = await executeAction(changeUserRoleSpec, a, { userId: a.id, role: "FINANCE" });
    expect(result.ok).toBe(false);
    expect(result.message).toBe(
      `${a.email} is the last enabled admin and cannot be given another role. Make another user an admin first.`,
    );
    expect(result.fieldErrors?.role).toBeDefined();
    expect(await db.user.findUniqueOrThrow({ where: { id: a.id }, select: { role: true } })).toEqual({ role: "ADMIN" });
  });

  it("cannot disable themselves, and a disabled admin does not count", async () => {
    expect(await executeAction(setUserDisabledSpec, a, { userId: b.id, disabled: "true" })).toMatchObject({ ok: true });
    const before = await db.auditEvent.count({ where: { targetId: a.id } });
    const result = await executeAction(setUserDisabledSpec, a, { userId: a.id, disabled: "true" });
    expect(result).toMatchObject({
      ok: false,
      message: `${a.email} is the last enabled admin and cannot be disabled. Make another user an admin first.`,
    });
    expect(await db.user.findUniqueOrThrow({ where: { id: a.id }, select: { disabled: true } })).toEqual({
      disabled: false,
    });
    expect(await db.auditEvent.count({ where: { targetId: a.id } })).toBe(before);
  });

  it("can demote themselves while another admin remains", async () => {
    expect(await executeAction(changeUserRoleSpec, a, { userId: a.id, role: "VIEWER" })).toMatchObject({ ok: true });
    expect(await enabledAdmins()).toEqual([{ id: b.id }]);
  });

  it("a disabled admin may still be demoted: it removes nobody's access", async () => {
    await db.user.update({ where: { id: b.id }, data: { disabled: true } });
    expect(await executeAction(changeUserRoleSpec, a, { userId: b.id, role: "VIEWER" })).toMatchObject({ ok: true });
  });

  it("two admins demoting each other at the same moment leave one admin", async () => {
    for (let round = 0; round < 5; round += 1) {
      await db.user.updateMany({ where: { id: { in: [a.id, b.id] } }, data: { role: "ADMIN", disabled: false } });
      const results = await Promise.all([
        executeAction(changeUserRoleSpec, a, { userId: b.id, role: "VIEWER" }),
        executeAction(changeUserRoleSpec, b, { userId: a.id, role: "FINANCE" }),
      ]);
      expect(results.filter((result) => result.ok)).toHaveLength(1);
      expect(results.find((result) => !result.ok)?.message).toMatch(/is the last enabled admin/);
      expect(await enabledAdmins()).toHaveLength(1);
    }
  });

  it("a concurrent demote and disable leave one admin", async () => {
    for (let round = 0; round < 5; round += 1) {
      await db.user.updateMany({ where: { id: { in: [a.id, b.id] } }, data: { role: "ADMIN", disabled: false } });
      const results = await Promise.all([
        executeAction(setUserDisabledSpec, a, { userId: b.id, disabled: "true" }),
        executeAction(changeUserRoleSpec, b, { userId: a.id, role: "VIEWER" }),
      ]);
      expect(results.filter((result) => result.ok)).toHaveLength(1);
      expect(await enabledAdmins()).toHaveLength(1);
    }
  });
});
