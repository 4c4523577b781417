import { describe, expect, it } from "vitest";
import { generateMasterKeyEntry, KeyringError, parseKeyring } from "@/lib/crypto/keyring";

const good = (id: string) => generateMasterKeyEntry(id);

describe("parseKeyring", () => {
  it("takes the first key as current and keeps the others for decryption", () => {
    const ring = parseKeyring(`${good("new")},${good("old")}`);
    expect(ring.current.id).toBe("new");
    expect([...ring.all.keys()]).toEqual(["new", "old"]);
  });

  it.each([
    ["", /empty/],
    ["nokeyid", /id:base64key/],
    ["k1:not*base64", /not base64/],
    ["k1:c2hvcnQ=", /exactly 32/],
    [`${good("a")},${good("a")}`, /twice/],
    ["bad id!:AAAA", /id:base64key/],
  ])("refuses %j with a clear message", (text, message) => {
    expect(() => parseKeyring(text)).toThrow(KeyringError);
    expect(() => parseKeyring(text)).toThrow(message);
  });
});
