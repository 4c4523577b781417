import { randomUUID } from "node:crypto";
import { beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { getServerSession } from "next-auth";
import { db } from "@/lib/db/client";
import { executeAction } from "@/lib/actions/define-action";
import { currentActor, type Actor } from "@/lib/auth/session";
import { changeUserRoleSpec, resetUserPasswordSpec, setUserDisabledSpec } from "@/lib/users/action-specs";
import { createActor } from "../support/actors";

// currentActor reads the JWT through getServerSession, which needs a Next request; the session
// it decodes is stood in for here, and everything after it (the database check) is real.
vi.mock("next-auth", () => ({ getServerSession: vi.fn() }));
const session = vi.mocked(getServerSession);

async function signedInAs(user: { id: string; email: string }) {
  const { sessionVersion, role } = await db.user.findUniqueOrThrow({ where: { id: user.id }, select: { sessionVersion: true, role: true } });
  return { user: { id: user.id, email: user.email, name: "", role, sessionVersion }, expires: "" };
}

let admin: Actor;
beforeAll(async () => {
  admin = await createActor("ADMIN");
});
beforeEach(() => session.mockReset());

describe("a user's existing session", () => {
  it.each([
    ["a role change", (id: string) => executeAction(changeUserRoleSpec, admin, { userId: id, role: "VIEWER" })],
    ["disabling", (id: string) => executeAction(setUserDisabledSpec, admin, { userId: id, disabled: "true" })],
    ["a password reset", (id: string) => executeAction(resetUserPasswordSpec, admin, { userId: id, password: "a brand new passphrase" })],
  ])("stops working after %s", async (_label, change) => {
    const user = await createActor("FINANCE");
    const old = await signedInAs(user);
    session.mockResolvedValue(old);
    expect(await currentActor()).toMatchObject({ id: user.id, role: "FINANCE" });

    expect(await change(user.id)).toMatchObject({ ok: true });
    session.mockResolvedValue(old);
    expect(await currentActor()).toBeNull();

    // A fresh sign-in (new version in the token) works again, unless the user is disabled.
    session.mockResolvedValue(await signedInAs(user));
    const disabled = (await db.user.findUniqueOrThrow({ where: { id: user.id } })).disabled;
    expect(await currentActor()).toEqual(disabled ? null : expect.objectContaining({ id: user.id }));
  });

  it("stays dead after the user is re-enabled", async () => {
    const user = await createActor("VIEWER");
    const old = await signedInAs(user);
    await executeAction(setUserDisabledSpec, admin, { userId: user.id, disabled: "true" });
    await executeAction(setUserDisabledSpec, admin, { userId: user.id, disabled: "false" });
    session.mockResolvedValue(old);
    expect(await currentActor()).toBeNull();
  });

  it("is refused for a user id that does not exist", async () => {
    session.mockResolvedValue({ user: { id: randomUUID(), email: "ghost@example.test", name: "", role: "ADMIN", sessionVersion: 1 }, expires: "" });
    expect(await currentActor()).toBeNull();
  });
});
