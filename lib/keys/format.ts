// Display helpers for key metadata; pure so components and tests can share them.

/** The first 8 hex digits of the HMAC fingerprint: enough to tell keys apart, useless to attack. */
export function shortFingerprint(fingerprint: string): string {
  return fingerprint.slice(0, 8);
}

export function lastFour(apiKey: string): string {
  return apiKey.slice(-4);
}

export const KEY_STATUS_LABEL = {
  ACTIVE: "Active",
  RETIRING: "Retiring",
  REVOKED: "Revoked",
  EXPIRED: "Expired",
} as const;
