import { describe, expect, it } from "vitest";
import { checkActionOrigin, originAllowed } from "@/lib/actions/origin-check";

describe("originAllowed", () => {
  it("accepts the console's own origin, by Host or by the proxy's X-Forwarded-Host", () => {
    expect(originAllowed("http://localhost:3000", "localhost:3000", null, new Set())).toBe(true);
    expect(originAllowed("https://console.example.com", "10.0.0.5:3000", "console.example.com, proxy.internal", new Set())).toBe(true);
    expect(originAllowed("HTTPS://Console.Example.com", "console.example.com", null, new Set())).toBe(true);
  });

  it("refuses a missing, foreign, opaque or malformed Origin", () => {
    expect(originAllowed(null, "localhost:3000", null, new Set())).toBe(false);
    expect(originAllowed("https://evil.example", "localhost:3000", null, new Set())).toBe(false);
    expect(originAllowed("http://localhost:3001", "localhost:3000", null, new Set())).toBe(false);
    expect(originAllowed("null", "localhost:3000", null, new Set())).toBe(false);
    expect(originAllowed("file:///etc", "localhost:3000", null, new Set())).toBe(false);
    expect(originAllowed("https://localhost:3000.evil.example", "localhost:3000", null, new Set())).toBe(false);
  });

  it("accepts origins listed in ALLOWED_ORIGINS, as an origin or a host", () => {
    expect(originAllowed("https://admin.example.com", "internal:3000", null, new Set(["https://admin.example.com"]))).toBe(true);
    expect(originAllowed("https://admin.example.com", "internal:3000", null, new Set(["admin.example.com"]))).toBe(true);
    expect(originAllowed("https://other.example.com", "internal:3000", null, new Set(["admin.example.com"]))).toBe(false);
  });

  it("does not apply outside a Next request (tests calling executeAction)", async () => {
    await expect(checkActionOrigin()).resolves.toBeNull();
  });
});
