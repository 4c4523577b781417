import { describe, expect, test } from "vitest";
import { gatewayKeyState, gatewayKeyStateLabel, type GatewayKeyStatusFields } from "@/lib/gateway-keys/status";

const now = new Date("2026-12-02T12:00:00.000Z");
const hour = 60 * 60 * 1000;
const at = (offsetMs: number) => new Date(now.getTime() + offsetMs);
const key = (fields: Partial<GatewayKeyStatusFields>): GatewayKeyStatusFields => ({
  status: "ACTIVE",
  revokedAt: null,
  retiresAt: null,
  expiresAt: null,
  ...fields,
});

describe("gatewayKeyState", () => {
  test("an active key with no end is active; one expiring later is still active", () => {
    expect(gatewayKeyState(key({}), now)).toEqual({ kind: "active" });
    expect(gatewayKeyState(key({ expiresAt: at(hour) }), now)).toEqual({ kind: "active" });
  });

  test("revoked wins over everything else", () => {
    const revokedAt = at(-hour);
    expect(gatewayKeyState(key({ status: "REVOKED", revokedAt, retiresAt: at(hour) }), now)).toEqual({
      kind: "revoked",
      at: revokedAt,
    });
  });

  test("past its expiry (or exactly at it) the key is expired", () => {
    expect(gatewayKeyState(key({ expiresAt: at(-1) }), now)).toEqual({ kind: "expired", at: at(-1) });
    expect(gatewayKeyState(key({ expiresAt: now }), now).kind).toBe("expired");
  });

  test("a rotated key retires until its grace ends, then is expired", () => {
    expect(gatewayKeyState(key({ retiresAt: at(hour) }), now)).toEqual({ kind: "retiring", until: at(hour) });
    expect(gatewayKeyState(key({ retiresAt: at(-hour) }), now)).toEqual({ kind: "expired", at: at(-hour) });
  });

  test("a retiring key that expires before its grace ends retires until the expiry", () => {
    expect(gatewayKeyState(key({ retiresAt: at(24 * hour), expiresAt: at(hour) }), now)).toEqual({
      kind: "retiring",
      until: at(hour),
    });
  });
});

describe("labels", () => {
  test("each state reads as the list shows it, times in UTC", () => {
    expect(gatewayKeyStateLabel({ kind: "active" })).toBe("Active");
    expect(gatewayKeyStateLabel({ kind: "retiring", until: at(90 * 60 * 1000) })).toBe(
      "Retiring until 2026-12-02 13:30 UTC",
    );
    expect(gatewayKeyStateLabel({ kind: "revoked", at: null })).toBe("Revoked");
    expect(gatewayKeyStateLabel({ kind: "expired", at: now })).toBe("Expired");
  });
});
