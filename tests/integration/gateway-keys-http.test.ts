// A created gateway key is in no page the console serves: every gateway page, as HTML and as the
// RSC payload a client navigation fetches, shows the key's last 4 and neither the key nor its
// hash, over real HTTP against `next start`. FINANCE and VIEWER read the pages but get no forms.
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { executeAction } from "@/lib/actions/define-action";
import { hashPassword } from "@/lib/auth/password";
import type { RoleName } from "@/lib/auth/roles";
import { db } from "@/lib/db/client";
import { createGatewayKeySpec, rotateGatewayKeySpec } from "@/lib/gateway-keys/action-specs";
import { hashGatewayKey } from "@/lib/gateway-keys/key-material";
import { createTeamSpec } from "@/lib/gateway-keys/team-action-specs";
import { cookieHeader, ensureBuild, signIn, startConsole, type ConsoleProcess } from "./faults-support";

ensureBuild();

const suffix = randomUUID().slice(0, 8);
const password = `gateway-http-${randomUUID()}`;
let server: ConsoleProcess;
const issued: { id: string; key: string; last4: string }[] = [];
let slug = "";
let modelId = "";

async function createUser(role: RoleName) {
  const email = `gw-${role.toLowerCase()}-${suffix}-${randomUUID().slice(0, 6)}@example.test`;
  return db.user.create({
    data: { email, name: `${role} ${suffix}`, role, passwordHash: await hashPassword(password) },
    select: { id: true, email: true, name: true, role: true },
  });
}

async function get(url: string, cookie: string, rsc = false): Promise<{ status: number; body: string }> {
  const headers = { cookie, ...(rsc ? { rsc: "1" } : {}) };
  let response = await fetch(url, { redirect: "manual", headers, signal: AbortSignal.timeout(30_000) });
  const location = response.headers.get("location");
  // An RSC request without its cache-busting parameter is redirected to the URL with it.
  if (rsc && response.status === 307 && location && new URL(location, url).searchParams.has("_rsc")) {
    response = await fetch(new URL(location, url), {
      redirect: "manual",
      headers,
      signal: AbortSignal.timeout(30_000),
    });
  }
  return { status: response.status, body: await response.text() };
}

async function cookieFor(role: RoleName): Promise<string> {
  const user = await createUser(role);
  const session = await signIn(server.url, user.email, password);
  expect(session.signedIn).toBe(true);
  return cookieHeader(session.jar);
}

beforeAll(async () => {
  const admin = await createUser("ADMIN");
  const provider = await db.provider.create({
    data: { name: `GW HTTP ${suffix}`, kind: "openai", baseUrl: "https://api.gw-http.example/v1" },
    select: { id: true, slug: true },
  });
  slug = provider.slug;
  modelId = `gw-http-model-${suffix}`;
  await db.model.create({ data: { providerId: provider.id, modelId, displayName: `GW HTTP model ${suffix}` } });
  const team = await executeAction(createTeamSpec, admin, { name: `GW HTTP team ${suffix}` });
  const created = await executeAction(createGatewayKeySpec, admin, {
    name: `gw-http-key-${suffix}`,
    teamId: team.data!.id,
    allowedModels: `${slug}/${modelId}`,
  });
  const rotated = await executeAction(rotateGatewayKeySpec, admin, { gatewayKeyId: created.data!.id, grace: "1h" });
  for (const result of [created, rotated]) {
    expect(result.ok, result.message).toBe(true);
    issued.push(result.data!);
  }
  server = await startConsole(process.env.DATABASE_URL!, { GATEWAY_PORT: "4567" });
}, 180_000);

afterAll(async () => {
  await server?.stop();
}, 60_000);

const pages = () => [
  "/gateway/keys",
  `/gateway/keys/${issued[0]!.id}`,
  `/gateway/keys/${issued[1]!.id}`,
  "/gateway/teams",
  "/gateway/connect",
];

describe("gateway pages over HTTP", () => {
  test("every gateway page, HTML and RSC, shows last 4 at most: never a key or its hash", async () => {
    const cookie = await cookieFor("ADMIN");
    const secrets = issued.flatMap(({ key }) => [key, hashGatewayKey(key)]);
    for (const page of pages()) {
      for (const rsc of [false, true]) {
        const answer = await get(`${server.url}${page}`, cookie, rsc);
        const where = `${page}${rsc ? " (RSC)" : ""}`;
        expect(answer.status, where).toBe(200);
        expect(
          secrets.filter((secret) => answer.body.includes(secret)),
          where,
        ).toEqual([]);
        // Nothing shaped like a gateway key at all, beyond the placeholder.
        expect(answer.body.match(/pcgw-[A-Za-z0-9_-]{20,}/g) ?? [], where).toEqual([]);
      }
    }
    const list = await get(`${server.url}/gateway/keys`, cookie);
    for (const { last4 } of issued) expect(list.body).toContain(`pcgw-…${last4}`);
  }, 120_000);

  test("the connect page names the gateway on the request's host and GATEWAY_PORT, and the callable model", async () => {
    const cookie = await cookieFor("VIEWER");
    const answer = await get(`${server.url}/gateway/connect`, cookie);
    expect(answer.status).toBe(200);
    expect(answer.body).toContain("http://127.0.0.1:4567/v1");
    expect(answer.body).toContain(`${slug}/${modelId}`);
  });

  test("FINANCE and VIEWER read the pages without any form; an unknown key id is a 404", async () => {
    for (const role of ["FINANCE", "VIEWER"] as const) {
      const cookie = await cookieFor(role);
      for (const page of pages()) {
        const answer = await get(`${server.url}${page}`, cookie);
        expect(answer.status, `${page} × ${role}`).toBe(200);
        expect(answer.body, `${page} × ${role}`).not.toMatch(
          /Create key|Rotate key|Revoke now|Create team|Save settings/,
        );
      }
      const missing = await get(`${server.url}/gateway/keys/${randomUUID()}`, cookie);
      expect(missing.status).toBe(404);
    }
  }, 120_000);
});
