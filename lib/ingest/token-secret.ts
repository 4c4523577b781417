import { createHash, randomBytes } from "node:crypto";

// Ingest tokens are 256 random bits, base64url, with a recognisable prefix (so secret scanners
// and people can tell what leaked). Stored as SHA-256: with that much entropy nothing can be
// brute-forced, so a slow password hash would only slow every ingestion request down.

export const TOKEN_PREFIX = "pcu_";
const TOKEN_SHAPE = /^pcu_[A-Za-z0-9_-]{43}$/;

export function generateIngestToken(): string {
  return `${TOKEN_PREFIX}${randomBytes(32).toString("base64url")}`;
}

export function hashIngestToken(token: string): string {
  return createHash("sha256").update(token, "utf8").digest("hex");
}

export function looksLikeIngestToken(value: string): boolean {
  return TOKEN_SHAPE.test(value);
}

/** "Bearer pcu_…" → the token, or null. */
export function bearerToken(header: string | null): string | null {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header ?? "");
  const token = match?.[1];
  return token && looksLikeIngestToken(token) ? token : null;
}
