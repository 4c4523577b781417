// Ended sessions read nothing, over real HTTP against `next start`: for every console page (found
// in the build, so a new page cannot be forgotten) and every way a session ends (disable, password
// reset, role change, sign-out, absolute lifetime, a token from before session ids), the old cookie's
// HTML and RSC responses (and any redirect body) contain none of a set of marker values seeded
// into the database, and /api/auth/session hands it no session and no fresh cookie. Role-restricted
// pages answer other roles with a real 404 status, also where a loading.tsx streams the page.
import fs from "node:fs";
import path from "node:path";
import { randomUUID } from "node:crypto";
import { encode } from "next-auth/jwt";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { db } from "@/lib/db/client";
import { hashPassword } from "@/lib/auth/password";
import { executeAction } from "@/lib/actions/define-action";
import type { Actor } from "@/lib/auth/session";
import type { RoleName } from "@/lib/auth/roles";
import { changeUserRoleSpec, resetUserPasswordSpec, setUserDisabledSpec } from "@/lib/users/action-specs";
import { insertKey } from "@/lib/keys/store";
import { seal } from "@/lib/crypto/seal";
import { channelSecretAssociatedData } from "@/lib/notifications/channel-secret";
import { insertIngestToken } from "@/lib/ingest/tokens";
import {
  AUTH_SECRET,
  DIST_DIR,
  cookieHeader,
  ensureBuild,
  signIn,
  signOut as signOutOf,
  startConsole,
  type ConsoleProcess,
} from "./faults-support";

ensureBuild();

const SESSION_COOKIE = /^(__Secure-)?next-auth\.session-token(\.\d+)?$/;
const suffix = randomUUID().slice(0, 8);
const password = `revoked-sessions-${randomUUID()}`;

let server: ConsoleProcess;
let admin: Actor;
const ids = {
  provider: "",
  model: "",
  user: "",
  gatewayKey: "",
  route: "",
  request: "",
  channel: "",
  dataset: "",
  run: "",
  fineTuneJob: "",
};
// Values only a page's data can contain. The signed-in user's own e-mail joins per case: the
// console layout shows it.
const markers: string[] = [];

async function createUser(role: RoleName, label: string) {
  const email = `${label}-${suffix}-${randomUUID().slice(0, 6)}@example.test`;
  return db.user.create({
    data: { email, name: `${label} ${suffix}`, role, passwordHash: await hashPassword(password) },
    select: { id: true, email: true, name: true, role: true },
  });
}

async function seedMarkers(): Promise<void> {
  const provider = await db.provider.create({
    data: {
      name: `Marker Provider ${suffix}`,
      kind: "openai",
      baseUrl: "https://api.marker.example/v1",
      description: `marker-description-${suffix}`,
    },
    select: { id: true, name: true },
  });
  const model = await db.model.create({
    data: {
      providerId: provider.id,
      modelId: `marker-model-${suffix}`,
      displayName: `Marker Model ${suffix}`,
      prices: { create: { inputPerMTok: "1.5", outputPerMTok: "2", effectiveFrom: new Date("2020-01-01T00:00:00Z") } },
    },
    select: { id: true, modelId: true, displayName: true },
  });
  const apiKey = `sk-marker-${randomUUID().replace(/-/g, "")}QZXJ`;
  const keyLabel = `marker-key-${suffix}`;
  const testMessage = `marker-test-message-${suffix}`;
  await db.$transaction((tx) =>
    insertKey(tx, {
      providerId: provider.id,
      label: keyLabel,
      apiKey,
      expiresAt: new Date(Date.now() + 3 * 86_400_000),
      isPrimary: true,
      createdById: admin.id,
      baseUrl: "https://api.marker.example/v1",
      lastTest: { ok: false, message: testMessage },
    }),
  );
  const tokenName = `marker-token-${suffix}`;
  await insertIngestToken({ name: tokenName, createdById: admin.id });
  const tag = `marker-tag-${suffix}`;
  await db.usageRecord.create({
    data: {
      source: "INGEST",
      clientRecordId: `marker-${suffix}`,
      occurredAt: new Date(),
      providerId: provider.id,
      modelId: model.id,
      tag,
      latencyMs: 123,
      status: "OK",
    },
  });
  const auditNote = `marker-audit-${suffix}`;
  await db.auditEvent.create({
    data: {
      actorId: admin.id,
      actorEmail: admin.email,
      action: "test.marker",
      targetType: "provider",
      targetId: provider.id,
      details: { note: auditNote },
    },
  });
  const teamName = `marker-team-${suffix}`;
  const team = await db.team.create({ data: { name: teamName }, select: { id: true } });
  const gatewayKeyName = `marker-gateway-key-${suffix}`;
  const gatewayKey = await db.gatewayKey.create({
    data: { name: gatewayKeyName, teamId: team.id, keyHash: `marker-hash-${suffix}`, last4: "WXYV" },
    select: { id: true },
  });
  const routeName = `marker-route-${suffix}`;
  const route = await db.route.create({
    data: {
      name: routeName,
      versions: {
        create: {
          version: 1,
          strategy: "FALLBACK",
          groups: [{ targets: [{ providerId: provider.id, modelId: model.id, weight: 1, params: {} }] }],
        },
      },
    },
    select: { id: true },
  });
  // A gateway request (its detail page is reached from the usage log), with one attempt.
  const requestId = randomUUID();
  await db.usageRecord.create({
    data: {
      source: "GATEWAY",
      clientRecordId: requestId,
      occurredAt: new Date(),
      providerId: provider.id,
      modelId: model.id,
      gatewayKeyId: gatewayKey.id,
      teamId: team.id,
      routeId: route.id,
      latencyMs: 45,
      status: "OK",
    },
  });
  await db.gatewayAttempt.create({
    data: {
      requestId,
      attempt: 1,
      providerId: provider.id,
      modelId: model.id,
      httpStatus: 200,
      latencyMs: 44,
      startedAt: new Date(),
    },
  });
  // A webhook channel (disabled: nothing is ever sent), sealed for real like every stored secret.
  const channelName = `marker-channel-${suffix}`;
  const channelId = randomUUID();
  const sealed = seal(`whsec_marker_${suffix}`, channelSecretAssociatedData(channelId));
  await db.notificationChannel.create({
    data: {
      id: channelId,
      name: channelName,
      url: "https://hooks.marker.example/in",
      secretCiphertext: sealed.envelope,
      masterKeyId: sealed.keyId,
      enabled: false,
    },
  });
  // An evaluation dataset (one case) and a draft run on it: nothing is called.
  const datasetName = `marker-dataset-${suffix}`;
  const dataset = await db.evalDataset.create({
    data: {
      name: datasetName,
      versions: {
        create: {
          version: 1,
          caseCount: 1,
          cases: { create: { caseKey: randomUUID(), position: 0, prompt: "marker prompt", expectedOutput: "x" } },
        },
      },
    },
    select: { id: true, versions: { select: { id: true } } },
  });
  const runName = `marker-run-${suffix}`;
  const run = await db.evalRun.create({
    data: { name: runName, datasetVersionId: dataset.versions[0]!.id, totalResults: 0 },
    select: { id: true },
  });
  // A fine-tuning file and job (rows only: the provider is never called).
  const fineTuneFileName = `marker-train-${suffix}.jsonl`;
  const fineTuneFile = await db.fineTuneFile.create({
    data: {
      providerId: provider.id,
      purpose: "TRAINING",
      fileName: fineTuneFileName,
      bytes: 1234,
      lineCount: 10,
      tokenCount: 500,
      sha256: "a".repeat(64),
      providerFileId: `file-marker-${suffix}`,
    },
    select: { id: true },
  });
  const fineTuneSuffix = `marker-ft-${suffix}`;
  const fineTuneJob = await db.fineTuneJob.create({
    data: {
      providerId: provider.id,
      baseModelId: model.id,
      baseModelName: model.modelId,
      suffix: fineTuneSuffix,
      trainingFileId: fineTuneFile.id,
      providerJobId: `ftjob-marker-${suffix}`,
      status: "FAILED",
    },
    select: { id: true },
  });
  ids.fineTuneJob = fineTuneJob.id;
  const other = await createUser("VIEWER", "marker-user");
  ids.dataset = dataset.id;
  ids.run = run.id;
  ids.channel = channelId;
  ids.route = route.id;
  ids.request = requestId;
  ids.provider = provider.id;
  ids.model = model.id;
  ids.user = other.id;
  ids.gatewayKey = gatewayKey.id;
  markers.push(
    provider.name,
    model.displayName,
    model.modelId,
    keyLabel,
    "QZXJ",
    testMessage,
    tokenName,
    tag,
    auditNote,
    admin.email,
    other.email,
    `marker-description-${suffix}`,
    teamName,
    gatewayKeyName,
    routeName,
    channelName,
    datasetName,
    runName,
    fineTuneFileName,
    fineTuneSuffix,
  );
}

// Every page of the console in this build, with its dynamic segments filled in.
function consolePages(): string[] {
  const manifest = JSON.parse(
    fs.readFileSync(path.join(DIST_DIR, "server", "app-paths-manifest.json"), "utf8"),
  ) as Record<string, string>;
  const pages = Object.keys(manifest)
    .filter((entry) => entry.startsWith("/(console)/") && entry.endsWith("/page"))
    .map(
      (entry) =>
        entry
          .replace(/^\/\(console\)/, "")
          .replace(/\/page$/, "")
          .replace(/\/\([^)]*\)/g, "") || "/",
    )
    .map((page) =>
      page
        .replace(/^\/providers\/\[id\]/, `/providers/${ids.provider}`)
        .replace("[modelId]", ids.model)
        .replace(/^\/users\/\[id\]/, `/users/${ids.user}`)
        .replace(/^\/gateway\/keys\/\[id\]/, `/gateway/keys/${ids.gatewayKey}`)
        .replace(/^\/gateway\/routes\/\[id\]/, `/gateway/routes/${ids.route}`)
        .replace(/^\/usage\/requests\/\[requestId\]/, `/usage/requests/${ids.request}`)
        .replace(/^\/notifications\/\[channelId\]/, `/notifications/${ids.channel}`)
        .replace(/^\/evals\/datasets\/\[datasetId\]/, `/evals/datasets/${ids.dataset}`)
        .replace(/^\/evals\/runs\/\[runId\]/, `/evals/runs/${ids.run}`)
        .replace(/^\/fine-tuning\/\[jobId\]/, `/fine-tuning/${ids.fineTuneJob}`),
    );
  for (const page of pages)
    if (page.includes("[")) throw new Error(`No value for the dynamic segments of ${page}: add one to consolePages()`);
  return [...new Set(pages)].sort();
}

type Answer = { status: number; location: string | null; body: string; setCookies: string[] };

// A client-side navigation from the overview: the router names the tree it already has, so Next
// renders only what differs and skips the console layout (the layout's own check never runs).
const FROM_OVERVIEW = encodeURIComponent(
  JSON.stringify(["", { children: ["(console)", { children: ["__PAGE__", {}] }] }, null, null]),
);

async function get(url: string, cookie: string, rsc: boolean | "navigation" = false): Promise<Answer> {
  const headers = {
    cookie,
    ...(rsc ? { rsc: "1" } : {}),
    ...(rsc === "navigation" ? { "next-router-state-tree": FROM_OVERVIEW } : {}),
  };
  let response = await fetch(url, { redirect: "manual", headers, signal: AbortSignal.timeout(30_000) });
  // Next answers an RSC request without its cache-busting _rsc parameter with a redirect to the
  // same URL with it; the client (and a probe) follows that one.
  const location = response.headers.get("location");
  if (rsc && response.status === 307 && location && new URL(location, url).searchParams.has("_rsc")) {
    response = await fetch(new URL(location, url), {
      redirect: "manual",
      headers,
      signal: AbortSignal.timeout(30_000),
    });
  }
  // The whole streamed body: a redirect or not-found can still carry what was rendered in parallel.
  const body = await response.text();
  return {
    status: response.status,
    location: response.headers.get("location"),
    body,
    setCookies: response.headers.getSetCookie(),
  };
}

const leaked = (body: string, values: string[]) => values.filter((value) => body.includes(value));

async function signedIn(role: RoleName, label: string) {
  const user = await createUser(role, label);
  const session = await signIn(server.url, user.email, password);
  expect(session.signedIn, `sign-in of ${user.email}`).toBe(true);
  return { user, cookie: cookieHeader(session.jar), jar: session.jar };
}

async function signOut(jar: Map<string, string>): Promise<void> {
  const response = await signOutOf(server.url, jar);
  expect(response.status).toBeLessThan(400);
}

// A token the server itself could have issued, with chosen claims (for lifetimes no test can wait out).
async function forgedCookie(
  user: { id: string; email: string; role: RoleName },
  claims: Record<string, unknown>,
): Promise<string> {
  const { sessionVersion } = await db.user.findUniqueOrThrow({
    where: { id: user.id },
    select: { sessionVersion: true },
  });
  const token = await encode({
    secret: AUTH_SECRET,
    token: { sub: user.id, email: user.email, name: "", role: user.role, sessionVersion, ...claims },
  });
  return `next-auth.session-token=${token}`;
}

beforeAll(async () => {
  admin = await createUser("ADMIN", "marker-admin");
  await seedMarkers();
  server = await startConsole(process.env.DATABASE_URL!);
}, 180_000);

afterAll(async () => {
  await server?.stop();
}, 60_000);

const now = () => Math.floor(Date.now() / 1000);

const ENDINGS: [string, (session: Awaited<ReturnType<typeof signedIn>>) => Promise<string>][] = [
  [
    "the user is disabled",
    async ({ user, cookie }) => {
      expect(await executeAction(setUserDisabledSpec, admin, { userId: user.id, disabled: "true" })).toMatchObject({
        ok: true,
      });
      return cookie;
    },
  ],
  [
    "the password is reset",
    async ({ user, cookie }) => {
      expect(
        await executeAction(resetUserPasswordSpec, admin, { userId: user.id, password: "a brand new passphrase 123" }),
      ).toMatchObject({ ok: true });
      return cookie;
    },
  ],
  [
    "the role is changed",
    async ({ user, cookie }) => {
      expect(await executeAction(changeUserRoleSpec, admin, { userId: user.id, role: "VIEWER" })).toMatchObject({
        ok: true,
      });
      return cookie;
    },
  ],
  // The cookie was copied before signing out; the browser's own copy is cleared by sign-out.
  [
    "the user signs out",
    async ({ cookie, jar }) => {
      await signOut(new Map(jar));
      return cookie;
    },
  ],
  [
    "the absolute lifetime is over",
    async ({ user }) => forgedCookie(user, { sid: randomUUID(), authTime: now() - 12 * 3600 - 60 }),
  ],
  ["the token predates session ids", async ({ user }) => forgedCookie(user, {})],
];

describe("an ended session", () => {
  test("the seeded markers are visible to a live ADMIN session on every page (the control)", async () => {
    const { user, cookie } = await signedIn("ADMIN", "control");
    const pages = consolePages();
    expect(pages.length).toBeGreaterThanOrEqual(20);
    const seen = new Set<string>();
    for (const page of pages) {
      const answer = await get(`${server.url}${page}`, cookie);
      expect(answer.status, page).toBe(200);
      // The layout shows the signed-in user, so every page has at least that marker.
      expect(answer.body, page).toContain(user.email);
      for (const value of leaked(answer.body, markers)) seen.add(value);
      const rsc = await get(`${server.url}${page}`, cookie, true);
      expect(rsc.status, `${page} (RSC)`).toBe(200);
      expect(rsc.body, `${page} (RSC)`).toContain(user.email);
    }
    // Each marker shows on some page, so its absence below means something.
    expect([...markers].filter((value) => !seen.has(value))).toEqual([]);
  }, 180_000);

  test.each(ENDINGS)(
    "reads no page data after %s, in HTML, RSC or a redirect body",
    async (_label, end) => {
      const session = await signedIn("ADMIN", "ending");
      const forbidden = [...markers, session.user.email];
      const live = await get(`${server.url}/providers`, session.cookie, true);
      expect(leaked(live.body, forbidden)).toContain(`Marker Provider ${suffix}`);
      const navigated = await get(`${server.url}/providers`, session.cookie, "navigation");
      expect(leaked(navigated.body, forbidden)).toContain(`Marker Provider ${suffix}`);

      const cookie = await end(session);
      for (const page of consolePages()) {
        for (const rsc of [false, true, "navigation"] as const) {
          const answer = await get(`${server.url}${page}`, cookie, rsc);
          const where = `${page}${rsc ? ` (RSC${rsc === "navigation" ? ", navigation" : ""})` : ""}`;
          expect(leaked(answer.body, forbidden), where).toEqual([]);
          if (!rsc) {
            expect(answer.status, where).toBe(307);
            expect(answer.location, where).toMatch(/\/login(\?|$)/);
          }
        }
      }

      const renewal = await get(`${server.url}/api/auth/session`, cookie);
      expect(renewal.status).toBe(200);
      expect(JSON.parse(renewal.body)).toEqual({});
      const renewed = renewal.setCookies.filter(
        (header) => SESSION_COOKIE.test(header.split("=")[0] ?? "") && !/^[^=]+=;/.test(header),
      );
      expect(renewed).toEqual([]);
    },
    240_000,
  );

  test("reads nothing without any cookie", async () => {
    for (const page of consolePages()) {
      for (const rsc of [false, true]) {
        const answer = await get(`${server.url}${page}`, "", rsc);
        expect(leaked(answer.body, markers), `${page}${rsc ? " (RSC)" : ""}`).toEqual([]);
      }
    }
  }, 120_000);

  test("a live session is renewed by /api/auth/session, and sign-out ends only its own session", async () => {
    const first = await signedIn("FINANCE", "two-sessions");
    const second = await signIn(server.url, first.user.email, password);
    const renewal = await get(`${server.url}/api/auth/session`, first.cookie);
    expect(JSON.parse(renewal.body)).toMatchObject({ user: { email: first.user.email } });
    expect(
      renewal.setCookies.some((header) => SESSION_COOKIE.test(header.split("=")[0] ?? "") && !/^[^=]+=;/.test(header)),
    ).toBe(true);

    await signOut(new Map(first.jar));
    expect(leaked((await get(`${server.url}/providers`, first.cookie, true)).body, markers)).toEqual([]);
    expect((await get(`${server.url}/providers`, cookieHeader(second.jar), true)).body).toContain(
      `Marker Provider ${suffix}`,
    );
  }, 60_000);
});

describe("pages another role may not see", () => {
  // Hand-written, not from can(): which pages FINANCE and VIEWER must be refused.
  const ADMIN_ONLY = ["/audit", "/settings", "/users", "/users/[id]", "/usage/tokens", "/usage/retention"];

  test.each(["FINANCE", "VIEWER"] as const)(
    "answer %s with a 404 (status for documents, not-found for RSC) and no data",
    async (role) => {
      const { cookie } = await signedIn(role, `refused-${role.toLowerCase()}`);
      for (const page of ADMIN_ONLY.map((entry) => entry.replace("[id]", ids.user))) {
        for (const rsc of [false, true]) {
          const answer = await get(`${server.url}${page}`, cookie, rsc);
          const where = `${role} ${page}${rsc ? " (RSC)" : ""}`;
          expect(leaked(answer.body, markers), where).toEqual([]);
          // A flight response is always 200 in Next (its errors travel inside the payload, and the
          // client router renders not-found from it); the document request gets the real status.
          if (rsc) expect(answer.body, where).toContain("NEXT_HTTP_ERROR_FALLBACK;404");
          else expect(answer.status, where).toBe(404);
        }
      }
    },
    120_000,
  );
});
