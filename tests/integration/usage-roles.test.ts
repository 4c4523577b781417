import { beforeAll, describe, expect, it, vi } from "vitest";
import { getServerSession } from "next-auth";
import { executeAction } from "@/lib/actions/define-action";
import type { Actor } from "@/lib/auth/session";
import { ingestBatch } from "@/lib/ingest/ingest-batch";
import { usageActionSpecs } from "@/lib/usage/action-specs";
import type { AnySpec } from "../support/action-spec-inventory";
import { dbFingerprint } from "../support/db-fingerprint";
import { createActor } from "../support/actors";
import { createUsageFixture, wireRecord, type UsageFixture } from "./ingest-support";

// Every mutating usage spec (reprice, budgets, retention) with a valid input: ADMIN succeeds,
// FINANCE, VIEWER and anonymous are refused and the database is untouched. The read routes
// (CSV exports) answer 401 without a session and 200 for every role.

vi.mock("next-auth", () => ({ getServerSession: vi.fn() }));
const session = vi.mocked(getServerSession);

let fixture: UsageFixture;
const actors: Record<string, Actor> = {};

beforeAll(async () => {
  fixture = await createUsageFixture();
  for (const role of ["ADMIN", "FINANCE", "VIEWER"] as const) actors[role] = await createActor(role);
  await ingestBatch(
    [wireRecord(fixture, { model: fixture.unpricedModel.modelId, occurredAt: "2019-03-01T00:00:00Z" })],
    fixture.tokenId,
  );
});

function validInput(name: string): Record<string, string> {
  switch (name) {
    case "usage.reprice":
      return { modelId: fixture.unpricedModel.id };
    case "budgets.set":
      return { scope: fixture.providerId, monthlyAmount: "42" };
    case "budgets.delete":
      return { budgetId: "00000000-0000-4000-8000-000000000000" };
    case "usage.retention.set":
      return { retentionDays: "" };
    case "usage.retention.run":
      // Older than 2019-01-01: nothing of any test file.
      return { olderThanDays: String(Math.ceil((Date.now() - Date.parse("2019-01-01T00:00:00Z")) / 86_400_000)) };
    default:
      throw new Error(`no input for ${name}: add one`);
  }
}

describe("usage actions × roles", () => {
  it("covers every usage spec", () => {
    expect(usageActionSpecs.map((spec) => spec.name).sort()).toEqual([
      "budgets.delete",
      "budgets.set",
      "usage.reprice",
      "usage.retention.run",
      "usage.retention.set",
    ]);
  });

  const specs: readonly AnySpec[] = usageActionSpecs as readonly AnySpec[];
  for (const spec of specs) {
    for (const who of ["FINANCE", "VIEWER", "anonymous"] as const) {
      it(`${spec.name}: ${who} is refused and nothing changes`, async () => {
        const before = await dbFingerprint();
        const result = await executeAction(spec, who === "anonymous" ? null : actors[who]!, validInput(spec.name));
        expect(result.ok).toBe(false);
        expect(result.message).toMatch(who === "anonymous" ? /session has ended/ : /role does not allow/);
        expect(await dbFingerprint()).toBe(before);
      });
    }

    it(`${spec.name}: ADMIN gets past the gate with a valid input`, async () => {
      const result = await executeAction(spec, actors.ADMIN!, validInput(spec.name));
      expect(result.message ?? "").not.toMatch(/session has ended|role does not allow|Something went wrong/);
      if (spec.name !== "budgets.delete") expect(result.ok).toBe(true);
    });
  }
});

describe("usage export routes × roles", () => {
  const routes = [
    { path: "/api/usage/records", load: () => import("@/app/api/usage/records/route") },
    { path: "/api/usage/spend", load: () => import("@/app/api/usage/spend/route") },
  ];
  for (const route of routes) {
    it(`${route.path}: 401 without a session, CSV for every role`, async () => {
      const { GET } = await route.load();
      const url = `http://localhost${route.path}?provider=${fixture.providerId}&from=2019-01-01&to=2019-12-31`;
      session.mockResolvedValue(null);
      const anonymous = await GET(new Request(url));
      expect(anonymous.status).toBe(401);
      expect(await anonymous.json()).toMatchObject({ ok: false });
      for (const role of ["ADMIN", "FINANCE", "VIEWER"] as const) {
        const actor = actors[role]!;
        session.mockResolvedValue({
          user: { id: actor.id, email: actor.email, role, sessionVersion: 1, sid: crypto.randomUUID() },
          expires: "2099-01-01",
        });
        const response = await GET(new Request(url));
        expect(response.status, role).toBe(200);
        expect(response.headers.get("content-type")).toMatch(/text\/csv/);
        await response.text();
      }
    });
  }
});
