import { randomUUID } from "node:crypto";
import { expect } from "vitest";
import { db } from "@/lib/db/client";
import { executeAction } from "@/lib/actions/define-action";
import type { Actor } from "@/lib/auth/session";
import { addKeySpec } from "@/lib/keys/action-specs";
import { fakeBaseUrl } from "@/tests/fake-provider/server";

// Letters only: a digit run in a name could read as a fake-provider behaviour such as "500".
export const letters = () =>
  randomUUID()
    .replace(/[^a-f]/g, "")
    .slice(0, 8)
    .padEnd(8, "x");

export type Seeded = { providerId: string; modelId: string; keyId: string | null; apiKey: string };

/**
 * A provider of `kind` pointing at the fake, with one model (priced unless `price: null`) and a
 * key, and request settings with no retries and a short timeout so failure tests stay fast.
 */
export async function seedProvider(
  admin: Actor,
  fakeUrl: string,
  kind: string,
  options: {
    model?: string;
    apiKey?: string | null;
    price?: { input: string; output: string } | null;
    timeoutMs?: number;
    enabled?: boolean;
  } = {},
): Promise<Seeded> {
  const provider = await db.provider.create({
    data: {
      name: `tc-${kind}-${letters()}`,
      kind,
      baseUrl: fakeBaseUrl(fakeUrl, kind),
      enabled: options.enabled ?? true,
    },
    select: { id: true },
  });
  const price = options.price === undefined ? { input: "2.5", output: "10" } : options.price;
  const model = await db.model.create({
    data: {
      providerId: provider.id,
      modelId: options.model ?? "fake-small",
      displayName: options.model ?? "Fake small",
      ...(price
        ? {
            prices: {
              create: {
                inputPerMTok: price.input,
                outputPerMTok: price.output,
                effectiveFrom: new Date("2020-01-01T00:00:00Z"),
              },
            },
          }
        : {}),
    },
    select: { id: true },
  });
  await db.configVersion.create({
    data: {
      scope: "PROVIDER",
      providerId: provider.id,
      version: 1,
      values: { retries: 0, timeoutMs: options.timeoutMs ?? 3_000 },
      authorId: admin.id,
    },
  });
  const apiKey = options.apiKey === undefined ? `sk-fake-${letters()}${letters()}` : options.apiKey;
  let keyId: string | null = null;
  if (apiKey !== null) {
    const added = await executeAction(addKeySpec, admin, {
      providerId: provider.id,
      label: `key-${letters()}`,
      apiKey,
    });
    expect(added.ok, added.message).toBe(true);
    keyId = (added.data as { keyId: string }).keyId;
  }
  return { providerId: provider.id, modelId: model.id, keyId, apiKey: apiKey ?? "" };
}

export const testUsageOf = (providerId: string) =>
  db.usageRecord.findMany({ where: { providerId, source: "TEST" }, orderBy: { id: "asc" } });
