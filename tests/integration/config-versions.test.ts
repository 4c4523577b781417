import { randomUUID } from "node:crypto";
import { beforeAll, describe, expect, it } from "vitest";
import { db } from "@/lib/db/client";
import { executeAction } from "@/lib/actions/define-action";
import type { Actor } from "@/lib/auth/session";
import { rollbackConfigSpec, saveConfigSpec } from "@/lib/config/action-specs";
import { latestConfigVersion } from "@/lib/config/queries";
import { createActor } from "../support/actors";

const suffix = () => randomUUID().slice(0, 8);

async function createProvider(kind = "openai") {
  return db.provider.create({
    data: { name: `cfg-${kind}-${suffix()}`, kind, baseUrl: "http://127.0.0.1:9/v1" },
    select: { id: true },
  });
}

const versionsOf = (providerId: string, modelId: string | null = null) =>
  db.configVersion.findMany({
    where: { providerId, modelId },
    select: { version: true, rolledBackFrom: true, comment: true },
    orderBy: { version: "asc" },
  });

let admin: Actor;
beforeAll(async () => {
  admin = await createActor("ADMIN");
});

describe("saving a configuration", () => {
  it("numbers saves 1, 2, 3 and audits each with its version and changed fields", async () => {
    const { id: providerId } = await createProvider();
    for (const [baseVersion, temperature] of [
      [0, "0.2"],
      [1, "0.4"],
      [2, "0.6"],
    ] as const) {
      const result = await executeAction(saveConfigSpec, admin, {
        providerId,
        baseVersion,
        temperature,
        timeoutMs: "30000",
        comment: `to ${temperature}`,
      });
      expect(result).toMatchObject({ ok: true, data: { version: baseVersion + 1 } });
    }
    expect((await versionsOf(providerId)).map((row) => row.version)).toEqual([1, 2, 3]);
    const events = await db.auditEvent.findMany({
      where: { action: "config.saved", targetId: providerId },
      select: { details: true, actorId: true },
      orderBy: { id: "asc" },
    });
    expect(events.map((event) => event.details)).toMatchObject([
      { version: 1, changedFields: ["temperature", "timeoutMs"] },
      { version: 2, basedOn: 1, changedFields: ["temperature"], changes: { temperature: { before: 0.2, after: 0.4 } } },
      { version: 3, changedFields: ["temperature"] },
    ]);
    expect(events.every((event) => event.actorId === admin.id)).toBe(true);
  });

  it("refuses a save based on a stale version, naming who changed it and when, and keeps the typed values", async () => {
    const { id: providerId } = await createProvider();
    await executeAction(saveConfigSpec, admin, { providerId, baseVersion: 0, retries: "1" });
    const stale = await executeAction(saveConfigSpec, admin, { providerId, baseVersion: "0", retries: "4" });
    expect(stale.ok).toBe(false);
    expect(stale.message).toMatch(
      new RegExp(
        `^Changed by ${admin.email} at \\d{4}-\\d{2}-\\d{2} \\d{2}:\\d{2}:\\d{2} UTC \\(version 1\\) — reload`,
      ),
    );
    expect(stale.values?.retries).toBe("4");
    expect(await versionsOf(providerId)).toHaveLength(1);
  });

  it("lets exactly one of several concurrent saves from the same base win, with no duplicate versions", async () => {
    const { id: providerId } = await createProvider();
    await executeAction(saveConfigSpec, admin, { providerId, baseVersion: 0, temperature: "1" });
    const others = await Promise.all([createActor("ADMIN"), createActor("ADMIN"), createActor("ADMIN")]);
    const results = await Promise.all(
      [admin, ...others].map((actor, index) =>
        executeAction(saveConfigSpec, actor, { providerId, baseVersion: 1, temperature: String(0.1 * (index + 1)) }),
      ),
    );
    expect(results.filter((result) => result.ok)).toHaveLength(1);
    expect(results.find((result) => result.ok)?.data?.version).toBe(2);
    for (const refused of results.filter((result) => !result.ok))
      expect(refused.message).toMatch(/^Changed by .+ \(version 2\) — reload/);
    expect((await versionsOf(providerId)).map((row) => row.version)).toEqual([1, 2]);
  });

  it("gives concurrent saves in a chain distinct consecutive versions", async () => {
    const { id: providerId } = await createProvider();
    // Each writer retries on a stale refusal with the base it reloads, like an admin would.
    const saveUntilAccepted = async (value: number) => {
      for (let attempt = 0; attempt < 20; attempt += 1) {
        const baseVersion = (await latestConfigVersion(providerId, null))?.version ?? 0;
        const result = await executeAction(saveConfigSpec, admin, {
          providerId,
          baseVersion,
          requestsPerMinute: String(value),
        });
        if (result.ok) return result.data!.version;
      }
      throw new Error("never accepted");
    };
    const versions = await Promise.all([11, 12, 13, 14, 15].map(saveUntilAccepted));
    expect([...versions].sort((a, b) => a - b)).toEqual([1, 2, 3, 4, 5]);
    expect((await versionsOf(providerId)).map((row) => row.version)).toEqual([1, 2, 3, 4, 5]);
  });

  it("keeps provider and model versions apart, each counting from 1", async () => {
    const { id: providerId } = await createProvider();
    const models = await Promise.all(
      [1, 2].map((n) =>
        db.model.create({
          data: { providerId, modelId: `m${n}-${suffix()}`, displayName: `M${n}` },
          select: { id: true },
        }),
      ),
    );
    const results = await Promise.all(
      [null, ...models.map((model) => model.id)].map((modelId) =>
        executeAction(saveConfigSpec, admin, { providerId, modelId: modelId ?? "", baseVersion: 0, topP: "0.5" }),
      ),
    );
    expect(results.map((result) => result.data?.version)).toEqual([1, 1, 1]);
    expect(await db.configVersion.findMany({ where: { providerId }, select: { scope: true } })).toHaveLength(3);
  });

  it("refuses a save that changes nothing, values outside the kind's range, and an archived provider", async () => {
    const { id: providerId } = await createProvider("anthropic");
    expect(await executeAction(saveConfigSpec, admin, { providerId, baseVersion: 0 })).toMatchObject({
      ok: false,
      message: "Nothing to save: set at least one field.",
    });
    const tooWarm = await executeAction(saveConfigSpec, admin, {
      providerId,
      baseVersion: 0,
      temperature: "1.5",
      timeoutMs: "500",
    });
    expect(tooWarm.fieldErrors?.temperature).toEqual(["Enter a value between 0 and 1 for Anthropic."]);
    expect(tooWarm.fieldErrors?.timeoutMs?.[0]).toMatch(/between 1,000 and 600,000/);
    await executeAction(saveConfigSpec, admin, { providerId, baseVersion: 0, temperature: "0.5" });
    expect(
      await executeAction(saveConfigSpec, admin, { providerId, baseVersion: 1, temperature: "0.5" }),
    ).toMatchObject({ ok: false, message: expect.stringMatching(/already the values of version 1/) });
    await db.provider.update({ where: { id: providerId }, data: { archivedAt: new Date() } });
    expect(
      await executeAction(saveConfigSpec, admin, { providerId, baseVersion: 1, temperature: "0.9" }),
    ).toMatchObject({ ok: false, message: expect.stringMatching(/archived/) });
    expect(await versionsOf(providerId)).toHaveLength(1);
  });
});

describe("rolling back", () => {
  it("creates a new version equal to the old values, audited, and refuses no-op and stale rollbacks", async () => {
    const { id: providerId } = await createProvider();
    await executeAction(saveConfigSpec, admin, {
      providerId,
      baseVersion: 0,
      temperature: "0.2",
      maxOutputTokens: "256",
    });
    await executeAction(saveConfigSpec, admin, {
      providerId,
      baseVersion: 1,
      temperature: "0.9",
      maxOutputTokens: "256",
      monthlyBudgetUsd: "100",
    });
    const v1 = await db.configVersion.findFirstOrThrow({
      where: { providerId, modelId: null, version: 1 },
      select: { values: true, monthlyBudgetUsd: true },
    });

    const rolled = await executeAction(rollbackConfigSpec, admin, { providerId, version: "1", baseVersion: "2" });
    expect(rolled).toMatchObject({
      ok: true,
      data: { version: 3, restored: 1, changedFields: ["temperature", "monthlyBudgetUsd"] },
    });
    const v3 = await db.configVersion.findFirstOrThrow({
      where: { providerId, modelId: null, version: 3 },
      select: { values: true, monthlyBudgetUsd: true, rolledBackFrom: true, comment: true, authorId: true },
    });
    expect(v3).toEqual({
      values: v1.values,
      monthlyBudgetUsd: null,
      rolledBackFrom: 1,
      comment: "Rolled back to version 1",
      authorId: admin.id,
    });
    const event = await db.auditEvent.findFirstOrThrow({
      where: { action: "config.rolled_back", targetId: providerId },
      select: { details: true },
    });
    expect(event.details).toMatchObject({
      version: 3,
      restoredVersion: 1,
      changedFields: ["temperature", "monthlyBudgetUsd"],
    });

    expect(await executeAction(rollbackConfigSpec, admin, { providerId, version: 1, baseVersion: 3 })).toMatchObject({
      ok: false,
      message: "Version 1's values are already in force.",
    });
    expect(await executeAction(rollbackConfigSpec, admin, { providerId, version: 2, baseVersion: 2 })).toMatchObject({
      ok: false,
      message: expect.stringMatching(/^Changed by .+\(version 3\)/),
    });
    expect(await executeAction(rollbackConfigSpec, admin, { providerId, version: 9, baseVersion: 3 })).toMatchObject({
      ok: false,
      message: "Version 9 was not found.",
    });
    expect(await executeAction(rollbackConfigSpec, admin, { providerId, version: 2, baseVersion: 3 })).toMatchObject({
      ok: true,
      data: { version: 4, restored: 2 },
    });
    expect((await versionsOf(providerId)).map((row) => [row.version, row.rolledBackFrom])).toEqual([
      [1, null],
      [2, null],
      [3, 1],
      [4, 2],
    ]);
  });
});
