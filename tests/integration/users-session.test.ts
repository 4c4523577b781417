import { randomUUID } from "node:crypto";
import { beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { getServerSession } from "next-auth";
import { db } from "@/lib/db/client";
import { executeAction } from "@/lib/actions/define-action";
import { currentActor, type Actor } from "@/lib/auth/session";
import { authOptions } from "@/lib/auth/options";
import { endSession } from "@/lib/auth/end-session";
import { changeUserRoleSpec, resetUserPasswordSpec, setUserDisabledSpec } from "@/lib/users/action-specs";
import { createActor } from "../support/actors";

// currentActor reads the JWT through getServerSession, which needs a Next request; the session
// it decodes is stood in for here, and everything after it (the database check) is real.
vi.mock("next-auth", () => ({ getServerSession: vi.fn() }));
const session = vi.mocked(getServerSession);

async function signedInAs(user: { id: string; email: string }, sid: string = randomUUID()) {
  const { sessionVersion, role } = await db.user.findUniqueOrThrow({
    where: { id: user.id },
    select: { sessionVersion: true, role: true },
  });
  return { user: { id: user.id, email: user.email, name: "", role, sessionVersion, sid }, expires: "" };
}

// What next-auth hands the jwt callback when a cookie is decoded (not at sign-in).
const decoded = (claims: Record<string, unknown>) =>
  authOptions.callbacks!.jwt!({ token: { sub: randomUUID(), ...claims }, user: undefined as never, account: null });

let admin: Actor;
beforeAll(async () => {
  admin = await createActor("ADMIN");
});
beforeEach(() => session.mockReset());

describe("a user's existing session", () => {
  it.each([
    ["a role change", (id: string) => executeAction(changeUserRoleSpec, admin, { userId: id, role: "VIEWER" })],
    ["disabling", (id: string) => executeAction(setUserDisabledSpec, admin, { userId: id, disabled: "true" })],
    [
      "a password reset",
      (id: string) => executeAction(resetUserPasswordSpec, admin, { userId: id, password: "a brand new passphrase" }),
    ],
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
    session.mockResolvedValue({
      user: {
        id: randomUUID(),
        email: "ghost@example.test",
        name: "",
        role: "ADMIN",
        sessionVersion: 1,
        sid: randomUUID(),
      },
      expires: "",
    });
    expect(await currentActor()).toBeNull();
  });

  it("is refused without a session id (a token from before sign-out ended sessions)", async () => {
    const user = await createActor("ADMIN");
    const { user: claims } = await signedInAs(user);
    session.mockResolvedValue({ user: { ...claims, sid: undefined }, expires: "" });
    expect(await currentActor()).toBeNull();
  });
});

describe("signing out", () => {
  it("ends that session on the server, and only that one", async () => {
    const user = await createActor("ADMIN");
    const [signedOut, other] = [randomUUID(), randomUUID()];
    const now = Math.floor(Date.now() / 1000);
    session.mockResolvedValue(await signedInAs(user, signedOut));
    expect(await currentActor()).toMatchObject({ id: user.id });

    await endSession({ sub: user.id, email: user.email, sid: signedOut, authTime: now });
    expect(await currentActor()).toBeNull();
    const ended = await db.endedSession.findUniqueOrThrow({ where: { sid: signedOut } });
    // Listed until the last cookie it could have renewed has expired (8 h idle), no longer.
    expect(ended.expiresAt.getTime()).toBeLessThanOrEqual(Date.now() + 8 * 3600 * 1000);
    expect(ended.expiresAt.getTime()).toBeGreaterThan(Date.now() + 7 * 3600 * 1000);
    expect(await db.auditEvent.count({ where: { action: "auth.sign_out", targetId: user.id } })).toBe(1);

    session.mockResolvedValue(await signedInAs(user, other));
    expect(await currentActor()).toMatchObject({ id: user.id });
  });

  it("prunes ended sessions whose cookies have all expired", async () => {
    const user = await createActor("VIEWER");
    const stale = randomUUID();
    await db.endedSession.create({ data: { sid: stale, userId: user.id, expiresAt: new Date(Date.now() - 1000) } });
    await endSession({ sub: user.id, email: user.email, sid: randomUUID(), authTime: Math.floor(Date.now() / 1000) });
    expect(await db.endedSession.findUnique({ where: { sid: stale } })).toBeNull();
  });
});

describe("a session token", () => {
  const now = () => Math.floor(Date.now() / 1000);

  it("is accepted within its absolute lifetime", async () => {
    const sid = randomUUID();
    await expect(decoded({ sid, authTime: now() - 11 * 3600 })).resolves.toMatchObject({ sid });
  });

  it.each([
    [
      "past the absolute lifetime (12 h by default), however recently renewed",
      { sid: randomUUID(), authTime: now() - 12 * 3600 - 5 },
    ],
    ["without a session id", { authTime: now() }],
    ["without a sign-in time", { sid: randomUUID() }],
    ["with a sign-in time in the future", { sid: randomUUID(), authTime: now() + 3600 }],
  ])("is refused %s", async (_label, claims) => {
    await expect(decoded(claims)).rejects.toThrow("session ended");
  });

  it("follows SESSION_ABSOLUTE_LIFETIME_HOURS", async () => {
    vi.stubEnv("SESSION_ABSOLUTE_LIFETIME_HOURS", "1");
    try {
      await expect(decoded({ sid: randomUUID(), authTime: now() - 3601 })).rejects.toThrow("session ended");
      await expect(decoded({ sid: randomUUID(), authTime: now() - 3500 })).resolves.toBeTruthy();
    } finally {
      vi.unstubAllEnvs();
    }
  });

  it("gets a fresh session id and sign-in time at sign-in", async () => {
    const user = { id: randomUUID(), email: "a@example.test", name: "", role: "ADMIN", sessionVersion: 3 };
    const first = await authOptions.callbacks!.jwt!({ token: {}, user, account: null });
    const second = await authOptions.callbacks!.jwt!({ token: {}, user, account: null });
    expect(first.sid).toMatch(/^[0-9a-f-]{36}$/);
    expect(second.sid).not.toBe(first.sid);
    expect(Math.abs(Number(first.authTime) - now())).toBeLessThanOrEqual(1);
  });
});
