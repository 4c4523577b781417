// Which console role an SSO sign-in gets from the identity provider's claim. Pure: unit-tested.
import type { RoleName } from "@/lib/auth/roles";

// A person in several mapped groups gets the broadest of their roles.
const RANK: Record<RoleName, number> = { ADMIN: 3, FINANCE: 2, VIEWER: 1 };

/** The claim's values: IdPs send a list of groups, or one string (some send roles space-separated). */
export function claimValues(claim: unknown): string[] {
  if (typeof claim === "string") return claim.split(/[\s,]+/).filter(Boolean);
  if (Array.isArray(claim)) return claim.filter((value): value is string => typeof value === "string");
  return [];
}

/** The mapped role, or null when none of the person's groups is in the map (the sign-in is refused). */
export function mapRole(claim: unknown, roleMap: ReadonlyMap<string, RoleName>): RoleName | null {
  let best: RoleName | null = null;
  for (const group of claimValues(claim)) {
    const role = roleMap.get(group);
    if (role && (!best || RANK[role] > RANK[best])) best = role;
  }
  return best;
}
