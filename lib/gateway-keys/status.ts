// What a gateway key's row means right now. The gateway decides the same way (a revoked key, an
// expired one or a rotated one past its grace period is refused), so the list shows what a caller
// would get, not only the stored status column.

export type GatewayKeyState =
  | { kind: "active" }
  | { kind: "retiring"; until: Date }
  | { kind: "revoked"; at: Date | null }
  | { kind: "expired"; at: Date };

export type GatewayKeyStatusFields = {
  status: "ACTIVE" | "REVOKED";
  revokedAt: Date | null;
  retiresAt: Date | null;
  expiresAt: Date | null;
};

export function gatewayKeyState(key: GatewayKeyStatusFields, now: Date): GatewayKeyState {
  if (key.status === "REVOKED") return { kind: "revoked", at: key.revokedAt };
  // Whichever ends first: a rotated key may also have had an expiry of its own.
  const ends = [key.expiresAt, key.retiresAt].filter((date): date is Date => date !== null);
  const endsAt = ends.length ? new Date(Math.min(...ends.map((date) => date.getTime()))) : null;
  if (endsAt && endsAt.getTime() <= now.getTime()) return { kind: "expired", at: endsAt };
  if (key.retiresAt) return { kind: "retiring", until: endsAt! };
  return { kind: "active" };
}

/** "2026-12-02 14:05 UTC": pages render on the server, so times are shown in UTC, not the server's zone. */
export function formatUtc(date: Date): string {
  return `${date.toISOString().slice(0, 16).replace("T", " ")} UTC`;
}

export function gatewayKeyStateLabel(state: GatewayKeyState): string {
  switch (state.kind) {
    case "active":
      return "Active";
    case "retiring":
      return `Retiring until ${formatUtc(state.until)}`;
    case "revoked":
      return "Revoked";
    case "expired":
      return "Expired";
  }
}

/** Usable keys can be edited, rotated and revoked; a retiring one has a successor to rotate instead. */
export function canChange(state: GatewayKeyState): boolean {
  return state.kind === "active" || state.kind === "retiring";
}
