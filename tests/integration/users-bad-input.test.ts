import { randomUUID } from "node:crypto";
import { beforeAll, describe, expect, it } from "vitest";
import { db } from "@/lib/db/client";
import { executeAction } from "@/lib/actions/define-action";
import type { Actor } from "@/lib/auth/session";
import {
  changeUserRoleSpec,
  createUserSpec,
  resetUserPasswordSpec,
  setUserDisabledSpec,
} from "@/lib/users/action-specs";
import { createActor } from "../support/actors";

let admin: Actor;
let target: Actor;
beforeAll(async () => {
  admin = await createActor("ADMIN");
  target = await createActor("VIEWER");
});

const huge = "x".repeat(200_000);
const form = (fields: Record<string, string>) => {
  const data = new FormData();
  for (const [name, value] of Object.entries(fields)) data.append(name, value);
  return data;
};

// [label, spec, input, fields that must carry an error]
const cases: [string, typeof createUserSpec, unknown, string[]][] = [
  ["create with nothing", createUserSpec, {}, ["email", "role", "password"]],
  [
    "create with wrong types",
    createUserSpec,
    { email: 5, name: ["x"], role: "ROOT", password: { length: 20 } },
    ["email", "name", "role", "password"],
  ],
  [
    "create with huge strings",
    createUserSpec,
    { email: `${huge}@example.test`, name: huge, role: "ADMIN", password: huge },
    ["email", "name", "password"],
  ],
  [
    "create from a form with a bad email",
    createUserSpec,
    form({ email: "not-an-email", name: "n", role: "VIEWER", password: "a fine passphrase here" }),
    ["email"],
  ],
  ["create with null", createUserSpec, null, ["_form"]],
  ["create with a string", createUserSpec, "email=x", ["_form"]],
  ["create with an array", createUserSpec, [1, 2], ["_form"]],
];
const otherCases: [string, unknown, unknown, string[]][] = [
  ["role change with a bad uuid", changeUserRoleSpec, { userId: "not-a-uuid", role: "ADMIN" }, ["userId"]],
  ["role change with an injection attempt", changeUserRoleSpec, { userId: "1' OR '1'='1", role: "VIEWER" }, ["userId"]],
  ["role change with a numeric role", changeUserRoleSpec, { userId: randomUUID(), role: 7 }, ["role"]],
  ["role change with nothing", changeUserRoleSpec, {}, ["userId", "role"]],
  ["disable with a bad flag", setUserDisabledSpec, { userId: randomUUID(), disabled: "maybe" }, ["disabled"]],
  ["disable with a huge id", setUserDisabledSpec, { userId: huge, disabled: "true" }, ["userId"]],
  ["reset with a short password", resetUserPasswordSpec, { userId: randomUUID(), password: "short" }, ["password"]],
  ["reset with wrong types", resetUserPasswordSpec, { userId: [], password: null }, ["userId", "password"]],
  ["reset with a huge password", resetUserPasswordSpec, { userId: randomUUID(), password: huge }, ["password"]],
];

describe("bad input to user actions", () => {
  it.each([...cases, ...otherCases])("%s → field errors, no change", async (_label, spec, input, fields) => {
    const before = await db.user.findMany({ orderBy: { id: "asc" } });
    const auditBefore = await db.auditEvent.count();
    const result = await executeAction(spec as typeof createUserSpec, admin, input);
    expect(result.ok).toBe(false);
    expect(result.message).toBe("Check the highlighted fields.");
    for (const field of fields) expect(result.fieldErrors?.[field], field).toBeDefined();
    expect(result.values?.password).toBeUndefined();
    expect(await db.user.findMany({ orderBy: { id: "asc" } })).toEqual(before);
    expect(await db.auditEvent.count()).toBe(auditBefore);
  });

  it("a valid shape for the real target with a bad role changes nothing", async () => {
    const result = await executeAction(changeUserRoleSpec, admin, { userId: target.id, role: "SUPERUSER" });
    expect(result.fieldErrors?.role).toBeDefined();
    expect(await db.user.findUniqueOrThrow({ where: { id: target.id }, select: { role: true } })).toEqual({
      role: "VIEWER",
    });
  });
});
