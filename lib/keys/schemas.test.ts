import { describe, expect, it } from "vitest";
import { addKeySchema, revokeKeySchema, rotateKeySchema } from "@/lib/keys/schemas";

const providerId = "6f1d7c3e-8a0b-4c5d-9e2f-1a2b3c4d5e6f";

describe("key schemas", () => {
  it("trims a pasted key and refuses inner whitespace or a too-short value", () => {
    expect(addKeySchema.parse({ providerId, label: "Prod", apiKey: "  sk-abcdefgh\n" }).apiKey).toBe("sk-abcdefgh");
    expect(addKeySchema.safeParse({ providerId, label: "Prod", apiKey: "sk-abc defgh" }).success).toBe(false);
    expect(addKeySchema.safeParse({ providerId, label: "Prod", apiKey: "short" }).success).toBe(false);
  });

  it("reads a date field as the end of that day in UTC and an empty one as no expiry", () => {
    expect(
      addKeySchema
        .parse({ providerId, label: "x", apiKey: "sk-abcdefgh", expiresAt: "2030-01-31" })
        .expiresAt?.toISOString(),
    ).toBe("2030-01-31T23:59:59.999Z");
    expect(addKeySchema.parse({ providerId, label: "x", apiKey: "sk-abcdefgh", expiresAt: "" }).expiresAt).toBeNull();
    expect(
      addKeySchema.safeParse({ providerId, label: "x", apiKey: "sk-abcdefgh", expiresAt: "someday" }).success,
    ).toBe(false);
  });

  it("accepts a grace period of 0 to 30 whole days", () => {
    const base = { providerId, label: "x", apiKey: "sk-abcdefgh" };
    expect(rotateKeySchema.parse({ ...base, graceDays: "0" }).graceDays).toBe(0);
    expect(rotateKeySchema.parse({ ...base, graceDays: "30", saveAnyway: "on" })).toMatchObject({
      graceDays: 30,
      saveAnyway: true,
    });
    for (const graceDays of ["-1", "31", "1.5", ""])
      expect(rotateKeySchema.safeParse({ ...base, graceDays }).success, graceDays).toBe(false);
  });

  it("requires the revocation to be confirmed", () => {
    expect(revokeKeySchema.safeParse({ keyId: providerId }).success).toBe(false);
    expect(revokeKeySchema.safeParse({ keyId: providerId, confirm: "on" }).success).toBe(true);
  });
});
