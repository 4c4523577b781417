import { describe, expect, it } from "vitest";
import { sessionAbsoluteLifetimeSeconds, sessionClaimsValid } from "@/lib/auth/session-lifetime";

const HOUR = 3600;

describe("sessionAbsoluteLifetimeSeconds", () => {
  it.each([
    [undefined, 12 * HOUR],
    ["24", 24 * HOUR],
    ["0.5", HOUR / 2],
    // A typo must neither make sessions immortal nor end every session at once.
    ["", 12 * HOUR],
    ["twelve", 12 * HOUR],
    ["0", 12 * HOUR],
    ["-3", 12 * HOUR],
    ["Infinity", 12 * HOUR],
  ])("SESSION_ABSOLUTE_LIFETIME_HOURS=%s gives %i s", (value, seconds) => {
    expect(sessionAbsoluteLifetimeSeconds(value === undefined ? {} : { SESSION_ABSOLUTE_LIFETIME_HOURS: value })).toBe(
      seconds,
    );
  });
});

describe("sessionClaimsValid", () => {
  const now = 2_000_000_000;
  const sid = "6f1c0f4e-3b1a-4c55-9d7e-2a9b8c7d6e5f";

  it("accepts a session id and a sign-in time within the lifetime", () => {
    expect(sessionClaimsValid({ sid, authTime: now - 12 * HOUR + 1 }, now)).toBe(true);
  });

  it.each([
    ["at the end of the lifetime", { sid, authTime: now - 12 * HOUR }],
    ["without a session id", { authTime: now }],
    ["with a session id that is not a UUID", { sid: "x", authTime: now }],
    ["without a sign-in time", { sid }],
    ["with a sign-in time as text", { sid, authTime: String(now) }],
    ["signed in in the future", { sid, authTime: now + 3600 }],
  ])("refuses a token %s", (_label, claims) => {
    expect(sessionClaimsValid(claims, now)).toBe(false);
  });
});
