import { describe, expect, it } from "vitest";
import { decodeCursor, encodeCursor } from "./cursor";

describe("usage log cursor", () => {
  it("round-trips", () => {
    const cursor = { at: "2026-11-20T10:15:00.123Z", id: "9876543210" };
    expect(decodeCursor(encodeCursor(cursor))).toEqual(cursor);
  });

  it("rejects tampered or foreign values", () => {
    expect(decodeCursor("not-base64-json")).toBeNull();
    expect(decodeCursor(Buffer.from("2026-01-01|1; drop table").toString("base64url"))).toBeNull();
    expect(decodeCursor(Buffer.from("yesterday|1").toString("base64url"))).toBeNull();
    expect(decodeCursor(null)).toBeNull();
  });
});
