import "server-only";
import { cache } from "react";
import { getServerSession } from "next-auth";
import { notFound, redirect } from "next/navigation";
import { cookies } from "next/headers";
import { authOptions } from "@/lib/auth/options";
import { pool } from "@/lib/db/client";
import { DomainError } from "@/lib/errors/domain-error";
import { can, type Capability, type RoleName } from "@/lib/auth/roles";

export type Actor = { id: string; email: string; name: string; role: RoleName };

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

// next-auth refuses the whole request ("a problem with the server configuration") when the
// callback-url cookie holds something that is not a URL; a forged cookie must not turn every
// request into a 500, so such a request is simply anonymous. Any other failure is rethrown.
async function readSession() {
  try {
    return await getServerSession(authOptions);
  } catch (error) {
    const jar = await cookies();
    const callback = jar.get("__Secure-next-auth.callback-url")?.value ?? jar.get("next-auth.callback-url")?.value;
    if (callback !== undefined && !isSafeCallbackUrl(callback)) return null;
    throw error;
  }
}

// The same test next-auth applies (core/lib/assert.js): an http(s) URL, or a path.
export function isSafeCallbackUrl(value: string): boolean {
  try {
    return /^https?:/.test(new URL(value, value.startsWith("/") ? "http://localhost" : undefined).protocol);
  } catch {
    return false;
  }
}

/**
 * The signed-in user as the database sees them now: a JWT alone is not trusted for role or
 * status, so a disabled user, a changed role, a reset password or a sign-out (the session's id
 * listed in ended_sessions) takes effect on the next request. The token's own checks (session id
 * present, absolute lifetime) run in the jwt callback, inside getServerSession.
 */
export const currentActor = cache(async (): Promise<Actor | null> => {
  const session = await readSession();
  const id = session?.user?.id;
  const sid = session?.user?.sid;
  if (!id || !UUID.test(id) || !sid || !UUID.test(sid)) return null;
  // Every request runs this: one plain SQL query (a tenth of the ORM's per-query compilation).
  const { rows } = await pool.query<{
    id: string;
    email: string;
    name: string;
    role: RoleName;
    disabled: boolean;
    session_version: number;
    ended: boolean;
  }>(
    `SELECT id::text, email, name, role::text AS role, disabled, session_version,
            EXISTS (SELECT 1 FROM ended_sessions WHERE sid = $2::uuid) AS ended
       FROM users WHERE id = $1::uuid`,
    [id, sid],
  );
  const user = rows[0];
  if (!user || user.disabled || user.ended || user.session_version !== session.user.sessionVersion) return null;
  return { id: user.id, email: user.email, name: user.name, role: user.role };
});

/** Throws UNAUTHENTICATED / FORBIDDEN as DomainErrors; every action and route handler calls this. */
export async function requireCapability(capability: Capability): Promise<Actor> {
  const actor = await currentActor();
  if (!actor) throw new DomainError("UNAUTHENTICATED", "Your session has ended. Sign in again.");
  if (!can(actor.role, capability)) throw new DomainError("FORBIDDEN", "Your role does not allow this action.");
  return actor;
}

/**
 * The first thing every console page, its metadata and each data-reading widget await: Next renders
 * layouts and pages in parallel (and client navigations skip the layout), so the console layout's
 * own check cannot keep a page from reading. No session: redirect to sign-in. Wrong role: 404,
 * so other roles do not learn which admin pages exist.
 */
export async function requirePageActor(capability: Capability): Promise<Actor> {
  const actor = await currentActor();
  if (!actor) redirect("/login");
  if (!can(actor.role, capability)) notFound();
  return actor;
}
