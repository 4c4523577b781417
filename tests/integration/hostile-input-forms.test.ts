// Hostile values inside otherwise valid forms, sent by a signed-in ADMIN: random garbage is
// stopped by the first type check (hostile-input.test.ts), so here every action spec gets its
// valid input (tests/support/valid-inputs.ts, with real row ids) with one field made hostile, to
// reach the refinements, transforms, handlers and the database behind them. Bar: no throw, never
// the generic failure (our 500), and a refused call leaves the database exactly as it was.
import { randomUUID } from "node:crypto";
import fc from "fast-check";
import { getServerSession } from "next-auth";
import { afterAll, beforeAll, describe, expect, test, vi } from "vitest";
import { executeAction } from "@/lib/actions/define-action";
import { db } from "@/lib/db/client";
import type { Actor } from "@/lib/auth/session";
import { generateGatewayKey } from "@/lib/gateway-keys/key-material";
import { insertIngestToken } from "@/lib/ingest/tokens";
import { seal } from "@/lib/crypto/seal";
import { channelSecretAssociatedData } from "@/lib/notifications/channel-secret";
import { expireKeys } from "@/lib/keys/expire-keys";
import { startFakeProvider, type FakeProvider } from "@/tests/fake-provider/server";
import { loadInventory, type AnySpec } from "../support/action-spec-inventory";
import { createActor } from "../support/actors";
import {
  eachFieldHostile,
  EDGE_VALUES,
  HOSTILE_STRINGS,
  hostileFieldOf,
  pollutingObjects,
  toFormData,
  type FieldVariant,
} from "../support/arbitraries";
import { dbFingerprint } from "../support/db-fingerprint";
import { hostileSeed } from "../support/hostile-seed";
import { exportedSchemas, UUID, UUID2, VALID_INPUTS } from "../support/valid-inputs";
import { seedProvider } from "./test-calls-support";

vi.mock("next-auth", () => ({ getServerSession: vi.fn() }));
vi.mocked(getServerSession).mockResolvedValue(null);

const RUNS = Number(process.env.HOSTILE_RUNS ?? 30);
const GENERIC_FAILURE = /Something went wrong/;
// Runs every enabled provider of the shared test database, some pointing at hosts that are not
// there (as in hostile-input.test.ts); its schema has no fields, so only extra keys would be tried.
const SKIPPED = new Set(["healthChecks.testAll"]);

// The values tried in every field (the whole hostile list × every field of every spec would take
// minutes); the seeded random pass below draws from all of them.
const FORM_VALUES: unknown[] = [
  ...HOSTILE_STRINGS.filter(
    (value) =>
      [
        "",
        " ",
        "\u0000",
        "a\u0000b",
        "\uD800",
        "'; DROP TABLE users;--",
        "__proto__",
        "-1",
        "1e309",
        "9999-12-31",
      ].includes(value) || value.length > 1000,
  ),
  ...EDGE_VALUES.filter((value) =>
    [
      "0000-01-01",
      "1969-12-31T23:59:59Z",
      "2026-11-20T10:15",
      "a ",
      "x\uDC00",
      2_147_483_648,
      "99999999999999999999.99",
      "1000000000000.000000",
    ].includes(value as never),
  ),
  null,
  true,
  -1,
  1.5,
  Number.NaN,
  {},
  ["a", "b"],
  pollutingObjects()[0],
];

let fake: FakeProvider;
let admin: Actor;
let specs: AnySpec[] = [];
const keyOfSchema = new Map<unknown, string>();
let tried = 0;
let unhandled = 0;
const onUnhandled = () => {
  unhandled += 1;
};

const letters = () => randomUUID().slice(0, 8);

/** The spec's valid input with real rows: a provider, model and key of its own, a bystander user, a token. */
async function validInputFor(spec: AnySpec): Promise<Record<string, unknown> | null> {
  const key = keyOfSchema.get(spec.schema);
  if (!key) return null;
  const template = VALID_INPUTS[key];
  if (!template || typeof template !== "object") return null;
  const modelName = `fake-${letters()}`;
  const seeded = await seedProvider(admin, fake.url, "openai", { timeoutMs: 1_000, model: modelName });
  const bystander = await createActor("VIEWER");
  const token = await insertIngestToken({ name: `forms-${letters()}`, createdById: null });
  const team = await db.team.create({ data: { name: `forms-${letters()}` }, select: { id: true } });
  const gatewayKey = await db.gatewayKey.create({
    data: { name: `forms-${letters()}`, teamId: team.id, keyHash: generateGatewayKey().hash, last4: "abcd" },
    select: { id: true },
  });
  // A route with two versions, pointing at the seeded model, so save and rollback get past their checks.
  const routeSettings = {
    strategy: "FALLBACK",
    groups: [{ targets: [{ providerId: seeded.providerId, modelId: seeded.modelId, weight: 1, params: {} }] }],
  };
  const route = await db.route.create({
    data: {
      name: `forms-${letters()}`,
      versions: {
        create: [
          { version: 1, strategy: "FALLBACK", groups: routeSettings.groups, retries: 2 },
          { version: 2, strategy: "FALLBACK", groups: routeSettings.groups },
        ],
      },
    },
    select: { id: true },
  });
  // A webhook channel (disabled: the sweep's test messages are never sent) with one rule.
  // Sealed for real: an envelope that does not open would turn the secrets health check degraded.
  const channelId = randomUUID();
  const sealed = seal("whsec_forms", channelSecretAssociatedData(channelId));
  const channel = await db.notificationChannel.create({
    data: {
      id: channelId,
      name: `forms-${letters()}`,
      url: "https://hooks.example.com/forms",
      secretCiphertext: sealed.envelope,
      masterKeyId: sealed.keyId,
      enabled: false,
      rules: { create: [{ eventKinds: [] }] },
    },
    select: { id: true, rules: { select: { id: true } } },
  });
  baseline = null; // rows were just added
  const byField: Record<string, string> = {
    providerId: seeded.providerId,
    modelId: seeded.modelId,
    id: seeded.modelId,
    keyId: seeded.keyId!,
    userId: bystander.id,
    tokenId: token.row.id,
    scope: seeded.providerId,
    budgetId: randomUUID(),
    runId: randomUUID(),
    teamId: team.id,
    gatewayKeyId: gatewayKey.id,
    routeId: route.id,
    channelId: channel.id,
    ruleId: channel.rules[0]!.id,
  };
  const input: Record<string, unknown> = {};
  for (const [field, value] of Object.entries(template as Record<string, unknown>)) {
    input[field] = (value === UUID || value === UUID2) && byField[field] ? byField[field] : value;
  }
  // Unique names, so the valid base does not collide with an earlier run's rows.
  if (spec.name === "providers.create" || spec.name === "providers.update") {
    input.name = `Hostile ${letters()}`;
    input.slug = `hostile-${letters()}`;
  }
  if (spec.name === "models.create") input.modelId = `hostile-${letters()}`;
  if (spec.name === "teams.create" || spec.name === "teams.update") input.name = `Hostile ${letters()}`;
  if (spec.name === "gatewayKeys.create" || spec.name === "gatewayKeys.update") input.allowedModels = modelName;
  if (spec.name === "routes.create") input.name = `hostile-${letters()}`;
  if (spec.name === "notifications.createChannel" || spec.name === "notifications.createEmailChannel")
    input.name = `hostile-${letters()}`;
  if (spec.name === "routes.create" || spec.name === "routes.saveVersion")
    input.settings = JSON.stringify({ ...routeSettings, retries: 3 });
  if (spec.name === "routes.saveVersion" || spec.name === "routes.rollback") input.baseVersion = "2";
  if (spec.name === "users.create") input.email = `hostile-${letters()}@example.test`;
  if (spec.name === "usage.retention.run") input.olderThanDays = "3650"; // the shared database's usage stays
  if (spec.name === "testCalls.importModels") input.modelIds = ["fake-small", "fake-large"]; // what the fake provider lists
  return input;
}

async function keysWithoutLastUse(): Promise<string> {
  const [row] = await db.$queryRawUnsafe<{ h: string | null }[]>(
    "SELECT md5(string_agg((to_jsonb(k) - 'last_used_at')::text, ',' ORDER BY k.id)) AS h FROM provider_keys k",
  );
  return row?.h ?? "";
}

function changedTables(before: string, after: string): string[] {
  const was = new Set(before.split(";"));
  return after
    .split(";")
    .filter((part) => !was.has(part))
    .map((part) => part.split("=")[0]!);
}

// The state before the next call: a refused call must leave it as it was, so only an accepted
// call (or a key sweep) moves it, and each call costs one fingerprint instead of two.
let baseline: { all: string; keys: string } | null = null;
const snapshot = async () => ({ all: await dbFingerprint(), keys: await keysWithoutLastUse() });

async function drive(spec: AnySpec, variant: FieldVariant, asForm: boolean): Promise<string | null> {
  // A key an earlier variant added with a past expiry date is swept to EXPIRED by whatever reads
  // keys next: sweep now, so that maintenance write is not charged to this call.
  const swept = await expireKeys();
  if (!baseline || swept.expired + swept.revoked > 0) baseline = await snapshot();
  const before = baseline;
  let result: Awaited<ReturnType<typeof executeAction>>;
  try {
    const input =
      asForm && variant.input && typeof variant.input === "object"
        ? toFormData(variant.input as Record<string, unknown>)
        : variant.input;
    result = await executeAction(spec, admin, input);
  } catch (error) {
    baseline = null;
    return `${spec.name} ${variant.label}: threw ${String(error)}`;
  }
  tried += 1;
  const after = await snapshot();
  baseline = after;
  if (typeof result.ok !== "boolean") return `${spec.name} ${variant.label}: no result shape`;
  if (GENERIC_FAILURE.test(result.message ?? ""))
    return `${spec.name} ${variant.label}: the generic failure (see the logged error)`;
  if (!result.ok) {
    const changed = changedTables(before.all, after.all);
    // A call that reached the provider stamps the key's last_used_at before the handler refuses
    // what came back (like ingest_tokens.last_used_at, which db-fingerprint leaves out): only that.
    const onlyKeyUse = changed.length === 1 && changed[0] === "provider_keys" && after.keys === before.keys;
    if (changed.length > 0 && !onlyKeyUse)
      return `${spec.name} ${variant.label}: refused (${result.message}) but wrote rows in ${changed.join(", ")}`;
  }
  return null;
}

beforeAll(async () => {
  process.on("unhandledRejection", onUnhandled);
  fake = await startFakeProvider();
  admin = await createActor("ADMIN");
  // HOSTILE_FORM_SPECS=keys.add,users.create replays only those specs.
  const only = process.env.HOSTILE_FORM_SPECS?.split(",");
  specs = (await loadInventory()).specs.filter(
    (spec) => !SKIPPED.has(spec.name) && (!only || only.includes(spec.name)),
  );
  for (const { key, schema } of await exportedSchemas()) if (!keyOfSchema.has(schema)) keyOfSchema.set(schema, key);
}, 60_000);

afterAll(async () => {
  process.off("unhandledRejection", onUnhandled);
  await fake?.close();
  console.log(JSON.stringify({ hostileFormInputs: tried, specs: specs.length, unhandledRejections: unhandled }));
});

describe("every action spec × every field × hostile values, inside a valid form, signed in as ADMIN", () => {
  test("each spec has a valid input, and its schema accepts it (so the sweep reaches past validation)", async () => {
    if (!process.env.HOSTILE_FORM_SPECS) expect(specs.length).toBeGreaterThanOrEqual(25);
    const missing = specs.filter((spec) => !keyOfSchema.has(spec.schema)).map((spec) => spec.name);
    expect(missing, "specs whose schema is not exported from a lib/**/schemas.ts module").toEqual([]);
    const refused: string[] = [];
    for (const spec of specs) {
      const input = await validInputFor(spec);
      if (!input) {
        refused.push(`${spec.name}: no object input`);
        continue;
      }
      const parsed = spec.schema.safeParse(input);
      if (!parsed.success) refused.push(`${spec.name}: ${JSON.stringify(parsed.error.issues)}`);
    }
    expect(refused).toEqual([]);
  }, 120_000);

  test("each field × the form values, as an object: no throw, no generic failure, no rows from a refusal", async () => {
    const problems: string[] = [];
    for (const spec of specs) {
      const input = await validInputFor(spec);
      if (!input) continue;
      for (const variant of eachFieldHostile(input, FORM_VALUES)) {
        const problem = await drive(spec, variant, false);
        if (problem) problems.push(problem);
      }
    }
    expect(problems).toEqual([]);
    expect(unhandled).toBe(0);
  }, 900_000); // 50 specs × every field; about 5 min on two idle cores, twice that under load

  test("seeded random hostile fields, as objects and as posted forms", async () => {
    const problems: string[] = [];
    for (const spec of specs) {
      const input = await validInputFor(spec);
      if (!input || Object.keys(input).length === 0) continue;
      await fc.assert(
        fc.asyncProperty(hostileFieldOf(input), fc.boolean(), async (variant, asForm) => {
          const problem = await drive(spec, variant, asForm);
          if (problem) problems.push(problem);
        }),
        { numRuns: Math.ceil(RUNS / 3), seed: hostileSeed() },
      );
    }
    expect(problems).toEqual([]);
    expect(unhandled).toBe(0);
  }, 300_000);
});
