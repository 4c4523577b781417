import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Actor } from "@/lib/auth/session";
import { pool } from "@/lib/db/client";
import {
  claimInRedis,
  COOLDOWN_HASH,
  cooldownRedis,
  resultInRedis,
  type CooldownRedis,
} from "@/lib/gateway/cooldown-redis";
import { createActor } from "../support/actors";
import { letters, seedProvider, type Seeded } from "./test-calls-support";

// The two cooldown stores hold to the same rules (gateway_target_claim / gateway_target_result in
// PostgreSQL, the Lua scripts in Redis): N failures in a row open a target; while open every claim
// is skipped; once over, exactly one of many simultaneous claims wins the probe; a probe's failure
// reopens it, its success closes it; a probe that never reports frees the claim after its time.

const REDIS_URL = "redis://127.0.0.1:6379";
const THRESHOLD = 3;
const COOLDOWN_MS = 300;
const PROBE_MS = 200;

type Claim = "ok" | "probe" | "skip";
type Store = {
  claim(key: string): Promise<Claim>;
  result(key: string, ok: boolean): Promise<{ failures: number; open: boolean }>;
};

let admin: Actor;
let target: Seeded;
let redis: CooldownRedis;
const used: string[] = [];

const postgres: Store = {
  async claim(key) {
    const { rows } = await pool.query<{ claim: Claim }>("SELECT gateway_target_claim($1, $2) AS claim", [
      key,
      PROBE_MS,
    ]);
    return rows[0]!.claim;
  },
  async result(key, ok) {
    const { rows } = await pool.query<{ failures: number; open_until: Date | null }>(
      "SELECT failures, open_until FROM gateway_target_result($1, $2, $3, $4, $5, $6, $7)",
      [key, target.providerId, target.modelId, ok, THRESHOLD, COOLDOWN_MS, ok ? null : "upstream_server"],
    );
    return { failures: rows[0]!.failures, open: rows[0]!.open_until !== null };
  },
};

const inRedis: Store = {
  claim: (key) => claimInRedis(redis, key, PROBE_MS),
  async result(key, ok) {
    const state = await resultInRedis(
      redis,
      key,
      target,
      ok,
      { failures: THRESHOLD, cooldownSeconds: COOLDOWN_MS / 1000 },
      ok ? null : "upstream_server",
    );
    return { failures: state.failures, open: state.openUntil !== null };
  },
};

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

beforeAll(async () => {
  admin = await createActor("ADMIN");
  target = await seedProvider(admin, "http://127.0.0.1:9", "openai", { model: `cool-${letters()}` });
  process.env.REDIS_URL = REDIS_URL;
  redis = cooldownRedis()!;
});

afterAll(async () => {
  if (used.length > 0) await redis.hdel(COOLDOWN_HASH, ...used);
  await redis.quit();
  delete process.env.REDIS_URL;
});

describe.each([
  { name: "PostgreSQL", store: postgres },
  { name: "Redis", store: inRedis },
])("cooldown rules ($name)", ({ name, store }) => {
  const fresh = () => {
    const key = `${target.providerId}:${target.modelId}:${name}-${letters()}`;
    used.push(key);
    return key;
  };

  it("opens at the threshold, skips while open, and lets exactly one of 20 simultaneous claims probe", async () => {
    const key = fresh();
    for (let n = 1; n < THRESHOLD; n += 1) {
      expect(await store.result(key, false)).toEqual({ failures: n, open: false });
      expect(await store.claim(key)).toBe("ok");
    }
    expect(await store.result(key, false)).toEqual({ failures: THRESHOLD, open: true });
    expect(await store.claim(key)).toBe("skip");
    await sleep(COOLDOWN_MS + 50);
    const claims = await Promise.all(Array.from({ length: 20 }, () => store.claim(key)));
    expect(claims.filter((claim) => claim === "probe")).toHaveLength(1);
    expect(claims.filter((claim) => claim === "skip")).toHaveLength(19);
  });

  it("a failed probe reopens the target; a successful one closes it for everyone", async () => {
    const key = fresh();
    for (let n = 0; n < THRESHOLD; n += 1) await store.result(key, false);
    await sleep(COOLDOWN_MS + 50);
    expect(await store.claim(key)).toBe("probe");
    expect((await store.result(key, false)).open).toBe(true);
    expect(await store.claim(key)).toBe("skip");
    await sleep(COOLDOWN_MS + 50);
    expect(await store.claim(key)).toBe("probe");
    expect(await store.result(key, true)).toEqual({ failures: 0, open: false });
    expect(await Promise.all([store.claim(key), store.claim(key)])).toEqual(["ok", "ok"]);
    // A closed target starts counting from zero again.
    expect(await store.result(key, false)).toEqual({ failures: 1, open: false });
  });

  it("a probe that never reports frees the claim once its time is up", async () => {
    const key = fresh();
    for (let n = 0; n < THRESHOLD; n += 1) await store.result(key, false);
    await sleep(COOLDOWN_MS + 50);
    expect(await store.claim(key)).toBe("probe");
    expect(await store.claim(key)).toBe("skip");
    await sleep(PROBE_MS + 50);
    expect(await store.claim(key)).toBe("probe");
  });
});
