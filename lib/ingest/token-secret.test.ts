import { describe, expect, it } from "vitest";
import { bearerToken, generateIngestToken, hashIngestToken, looksLikeIngestToken } from "./token-secret";

describe("ingest token secrets", () => {
  it("generates distinct, well-formed tokens", () => {
    const a = generateIngestToken();
    const b = generateIngestToken();
    expect(a).not.toBe(b);
    expect(looksLikeIngestToken(a)).toBe(true);
  });

  it("hashes deterministically to 64 hex characters", () => {
    const token = generateIngestToken();
    expect(hashIngestToken(token)).toMatch(/^[0-9a-f]{64}$/);
    expect(hashIngestToken(token)).toBe(hashIngestToken(token));
    expect(hashIngestToken(token)).not.toBe(hashIngestToken(generateIngestToken()));
  });

  it("reads only well-formed bearer tokens", () => {
    const token = generateIngestToken();
    expect(bearerToken(`Bearer ${token}`)).toBe(token);
    expect(bearerToken(`bearer   ${token} `)).toBe(token);
    expect(bearerToken(token)).toBeNull();
    expect(bearerToken("Bearer nope")).toBeNull();
    expect(bearerToken(null)).toBeNull();
  });
});
