import { describe, expect, it } from "vitest";
import { classifyIngestFailure } from "@/lib/ingest/failure";

describe("classifyIngestFailure", () => {
  it("answers 503 with Retry-After for an unreachable database and for errors a replay gets past", () => {
    expect(
      classifyIngestFailure(Object.assign(new Error("connect ECONNREFUSED 127.0.0.1:5432"), { code: "ECONNREFUSED" })),
    ).toMatchObject({ status: 503, headers: { "Retry-After": "5" }, outage: true });
    // The driver adapter keeps the pg error in `cause`.
    const deadlock = new Error("adapter error", { cause: { code: "40P01", message: "deadlock detected" } });
    expect(classifyIngestFailure(deadlock)).toMatchObject({ status: 503, outage: true });
    expect(classifyIngestFailure({ code: "40001" }).status).toBe(503);
    expect(classifyIngestFailure({ code: "57014" }).status).toBe(503);
  });

  it("answers 500, telling the client not to retry, for anything else (a bug fails the same way every time)", () => {
    for (const error of [
      new TypeError("record.occurredAt.getTime is not a function"),
      { code: "22P05" },
      { code: "22003" },
      "thrown string",
      null,
    ]) {
      const failure = classifyIngestFailure(error);
      expect(failure.status).toBe(500);
      expect(failure.message).toMatch(/will fail the same way/);
      expect(failure.message).not.toMatch(/Retry it/);
      expect(failure.headers).toBeUndefined();
    }
  });
});
