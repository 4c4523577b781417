import { describe, expect, it } from "vitest";
import { checkBaseUrl } from "@/lib/providers/base-url";

describe("base URL rule", () => {
  it("accepts https anywhere and trims a trailing slash", () => {
    expect(checkBaseUrl(" https://api.example.com/v1/ ", false)).toEqual({
      ok: true,
      url: "https://api.example.com/v1",
    });
    expect(checkBaseUrl("https://API.example.com", false)).toEqual({ ok: true, url: "https://api.example.com" });
  });

  it.each(["http://localhost:11434", "http://127.0.0.1:8080/v1", "http://[::1]:8000"])(
    "accepts plain http to the machine itself: %s",
    (url) => {
      expect(checkBaseUrl(url, false).ok).toBe(true);
    },
  );

  it("refuses plain http elsewhere unless insecure is allowed", () => {
    const refused = checkBaseUrl("http://llm.internal/v1", false);
    expect(refused.ok).toBe(false);
    if (!refused.ok) expect(refused.message).toMatch(/Allow insecure/);
    expect(checkBaseUrl("http://llm.internal/v1", true)).toEqual({ ok: true, url: "http://llm.internal/v1" });
  });

  it.each([
    ["", /Enter/],
    ["api.example.com", /full URL/],
    ["ftp://example.com", /https/],
    ["javascript:alert(1)", /https/],
    ["https://user:pass@example.com", /user name/],
    ["https://example.com/v1?key=abc", /query/],
    [`https://example.com/${"a".repeat(2100)}`, /at most/],
  ])("refuses %s", (input, message) => {
    const result = checkBaseUrl(input, true);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.message).toMatch(message);
  });

  it("does not treat look-alike hosts as local", () => {
    expect(checkBaseUrl("http://localhost.evil.example", false).ok).toBe(false);
    expect(checkBaseUrl("http://127.0.0.2", false).ok).toBe(false);
  });
});
