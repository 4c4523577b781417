import { describe, expect, it } from "vitest";
import { checkActionOrigin, originAllowed } from "@/lib/actions/origin-check";

describe("originAllowed", () => {
  it("accepts the console's own origin by Host", () => {
    expect(originAllowed("http://localhost:3000", "localhost:3000", null, new Set(), 0)).toBe(true);
    expect(originAllowed("HTTPS://Console.Example.com", "console.example.com", null, new Set(), 0)).toBe(true);
  });

  it("believes X-Forwarded-Host only behind a configured proxy, and then instead of Host", () => {
    const forwarded = "console.example.com, proxy.internal";
    expect(originAllowed("https://console.example.com", "10.0.0.5:3000", forwarded, new Set(), 1)).toBe(true);
    expect(originAllowed("https://10.0.0.5:3000", "10.0.0.5:3000", forwarded, new Set(), 1)).toBe(false);
    expect(originAllowed("https://console.example.com", "10.0.0.5:3000", null, new Set(), 1)).toBe(false);
    // No proxy configured (the default): a client-supplied X-Forwarded-Host proves nothing.
    expect(originAllowed("https://evil.example", "localhost:3000", "evil.example", new Set(), 0)).toBe(false);
    expect(originAllowed("http://localhost:3000", "localhost:3000", "evil.example", new Set(), 0)).toBe(true);
  });

  it("refuses a missing, foreign, opaque or malformed Origin", () => {
    for (const hops of [0, 1]) {
      expect(originAllowed(null, "localhost:3000", null, new Set(), hops)).toBe(false);
      expect(originAllowed("https://evil.example", "localhost:3000", null, new Set(), hops)).toBe(false);
      expect(originAllowed("http://localhost:3001", "localhost:3000", null, new Set(), hops)).toBe(false);
      expect(originAllowed("null", "localhost:3000", null, new Set(), hops)).toBe(false);
      expect(originAllowed("file:///etc", "localhost:3000", null, new Set(), hops)).toBe(false);
      expect(originAllowed("https://localhost:3000.evil.example", "localhost:3000", null, new Set(), hops)).toBe(false);
      expect(originAllowed("http://localhost:3000", null, null, new Set(), hops)).toBe(false);
    }
  });

  it("accepts origins listed in ALLOWED_ORIGINS, as an origin or a host", () => {
    expect(
      originAllowed("https://admin.example.com", "internal:3000", null, new Set(["https://admin.example.com"]), 0),
    ).toBe(true);
    expect(originAllowed("https://admin.example.com", "internal:3000", null, new Set(["admin.example.com"]), 0)).toBe(
      true,
    );
    expect(originAllowed("https://other.example.com", "internal:3000", null, new Set(["admin.example.com"]), 0)).toBe(
      false,
    );
  });

  it("does not apply outside a Next request (tests calling executeAction)", async () => {
    await expect(checkActionOrigin()).resolves.toBeNull();
  });
});
