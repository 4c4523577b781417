import { randomUUID } from "node:crypto";
import { beforeAll, describe, expect, it } from "vitest";
import { db } from "@/lib/db/client";
import { writeAudit } from "@/lib/audit/write-audit";
import { listAuditActions, listAuditEvents } from "@/lib/audit/queries";
import { parseAuditSearchParams } from "@/lib/audit/schemas";

// Events of this file carry a unique action prefix so other files' events never match.
const tag = `test.${randomUUID().slice(0, 8)}`;
const actorA = { id: randomUUID(), email: `alice-${tag}@example.test` };
const actorB = { id: randomUUID(), email: `bob-${tag}@example.test` };

beforeAll(async () => {
  for (let n = 1; n <= 7; n += 1) {
    await writeAudit({
      actor: n % 2 ? actorA : actorB,
      action: `${tag}.${n <= 4 ? "made" : "changed"}`,
      targetType: "widget",
      targetId: `w-${n}`,
      details: { n },
    });
  }
  await db.auditEvent.updateMany({
    where: { action: `${tag}.made`, targetId: "w-1" },
    data: { at: new Date("2020-01-15T12:00:00Z") },
  });
});

const search = (params: Record<string, string>) => parseAuditSearchParams(params).filters;
const targets = (events: { targetId: string | null }[]) => events.map((event) => event.targetId);

describe("listAuditEvents", () => {
  it("lists newest first and filters by action", async () => {
    const { events, olderBefore } = await listAuditEvents(search({ action: `${tag}.made` }));
    expect(targets(events)).toEqual(["w-4", "w-3", "w-2", "w-1"]);
    expect(olderBefore).toBeNull();
    expect(events[0]).toMatchObject({ actorEmail: actorB.email, targetType: "widget", details: { n: 4 } });
    expect(typeof events[0]?.id).toBe("string");
  });

  it("filters by actor email (part, any case) and by target id or type", async () => {
    const byActor = await listAuditEvents(search({ actor: `BOB-${tag}` }));
    expect(targets(byActor.events)).toEqual(["w-6", "w-4", "w-2"]);
    expect(targets((await listAuditEvents(search({ target: "w-5", actor: tag }))).events)).toEqual(["w-5"]);
    expect((await listAuditEvents(search({ target: "widget", actor: tag }))).events).toHaveLength(7);
  });

  it("filters by UTC day range, the to-day included", async () => {
    const old = await listAuditEvents(search({ actor: tag, from: "2020-01-15", to: "2020-01-15" }));
    expect(targets(old.events)).toEqual(["w-1"]);
    const recent = await listAuditEvents(search({ actor: tag, from: "2021-01-01" }));
    expect(recent.events).toHaveLength(6);
  });

  it("pages backwards by id with no gaps or repeats", async () => {
    const seen: string[] = [];
    let before: string | undefined;
    for (let page = 0; page < 5; page += 1) {
      const filters = search({ actor: tag, ...(before ? { before } : {}) });
      const result = await listAuditEvents(filters, 3);
      seen.push(...targets(result.events).map(String));
      if (!result.olderBefore) break;
      before = result.olderBefore;
    }
    expect(seen).toEqual(["w-7", "w-6", "w-5", "w-4", "w-3", "w-2", "w-1"]);
  });

  it("offers each action once as a filter option", async () => {
    const actions = await listAuditActions();
    expect(actions.filter((action) => action.startsWith(tag))).toEqual([`${tag}.changed`, `${tag}.made`]);
  });
});

describe("writeAudit", () => {
  it("blanks fields named like secrets and keeps markup as plain data", async () => {
    const targetId = randomUUID();
    await writeAudit({
      actor: null,
      action: `${tag}.secretive`,
      targetType: "widget",
      targetId,
      details: { password: "hunter2hunter2", apiKey: "sk-abcdefghijklmnop", description: "<script>alert(1)</script>" },
    });
    const [event] = await db.auditEvent.findMany({ where: { targetId }, select: { details: true, actorEmail: true } });
    expect(event).toEqual({
      actorEmail: null,
      details: { password: "[redacted]", apiKey: "[redacted]", description: "<script>alert(1)</script>" },
    });
  });
});
