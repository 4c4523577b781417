import { describe, expect, it } from "vitest";
import { safeCallbackPath, sameOriginPath } from "@/lib/request/safe-redirect";

const ORIGIN = "https://console.example.com";

describe("sameOriginPath", () => {
  it("keeps paths on the console, with their query and hash", () => {
    expect(sameOriginPath("/providers?tab=keys#k1", ORIGIN)).toBe("/providers?tab=keys#k1");
    expect(sameOriginPath("/", ORIGIN)).toBe("/");
    expect(sameOriginPath("https://console.example.com/spend", ORIGIN)).toBe("/spend");
    expect(sameOriginPath("/%2F%2Fevil.example", ORIGIN)).toBe("/%2F%2Fevil.example");
  });

  it("refuses anything a browser would take off-site", () => {
    for (const value of [
      "/\\evil.example/",
      "\\\\evil.example",
      "//evil.example",
      "///evil.example",
      "/\t/evil.example",
      "/\n/evil.example",
      "\u0000/evil",
      "https://evil.example/",
      "http://console.example.com/", // another scheme is another origin
      "https://console.example.com.evil.example/",
      "https://console.example.com@evil.example/",
      "javascript:alert(1)",
      "data:text/html,<script>alert(1)</script>",
      "",
      "x".repeat(3000),
    ]) {
      expect(sameOriginPath(value, ORIGIN), JSON.stringify(value)).toBeNull();
    }
    // Dot segments that leave a path starting with "//" (a protocol-relative URL once used).
    for (const value of [
      "/..//evil.example",
      "/.//evil.example",
      "/%2e//evil.example",
      "/%2E%2E//evil.example/x",
      "/a/..//evil.example",
      "./..//evil.example",
    ]) {
      expect(sameOriginPath(value, ORIGIN), JSON.stringify(value)).toBeNull();
    }
    expect(sameOriginPath(42, ORIGIN)).toBeNull();
    expect(sameOriginPath("/ok", "not an origin")).toBeNull();
  });

  it("safeCallbackPath falls back to the overview", () => {
    expect(safeCallbackPath("/\\evil.example/")).toBe("/");
    expect(safeCallbackPath(undefined)).toBe("/");
    expect(safeCallbackPath("/usage?from=2026-01-01")).toBe("/usage?from=2026-01-01");
    // A relative path is resolved against the root, as the browser would from /login.
    expect(safeCallbackPath("providers")).toBe("/providers");
  });
});
