export const ROLES = ["ADMIN", "FINANCE", "VIEWER"] as const;
export type RoleName = (typeof ROLES)[number];

// What each role may do. Pages and actions both ask `can(role, capability)` so the matrix lives
// in one place; the tests pin the same matrix by hand (tests/support/expected-access.ts).
const CAPABILITIES = {
  "providers:read": ["ADMIN", "FINANCE", "VIEWER"],
  "providers:write": ["ADMIN"],
  "keys:read": ["ADMIN", "FINANCE", "VIEWER"],
  "keys:write": ["ADMIN"],
  "usage:read": ["ADMIN", "FINANCE", "VIEWER"],
  "spend:read": ["ADMIN", "FINANCE", "VIEWER"],
  "prices:read": ["ADMIN", "FINANCE", "VIEWER"],
  "prices:write": ["ADMIN"],
  "users:read": ["ADMIN"],
  "users:write": ["ADMIN"],
  "audit:read": ["ADMIN"],
  "settings:write": ["ADMIN"],
  // Finance reads gateway keys' spend and limits; only admins create, change, rotate or revoke them.
  "gateway:read": ["ADMIN", "FINANCE", "VIEWER"],
  "gateway:write": ["ADMIN"],
  // Everyone reads the notifications page and delivery log; only admins manage channels and rules.
  "notifications:read": ["ADMIN", "FINANCE", "VIEWER"],
  "notifications:write": ["ADMIN"],
  // Finance (and admins) subscribe their own address to budget events on channels open for it.
  "notifications:subscribe": ["ADMIN", "FINANCE"],
  // Evaluations (lib/evals): admins build datasets and start runs (paid calls); everyone reads results.
  "evals:read": ["ADMIN", "FINANCE", "VIEWER"],
  "evals:write": ["ADMIN"],
  // Fine-tuning (lib/fine-tuning): admins upload training data and create or cancel jobs (paid);
  // finance and viewers read jobs, their events and costs.
  "fine-tuning:read": ["ADMIN", "FINANCE", "VIEWER"],
  "fine-tuning:write": ["ADMIN"],
} as const satisfies Record<string, readonly RoleName[]>;

export type Capability = keyof typeof CAPABILITIES;

export function can(role: RoleName | undefined | null, capability: Capability): boolean {
  if (!role) return false;
  return (CAPABILITIES[capability] as readonly RoleName[]).includes(role);
}

export const ROLE_LABEL: Record<RoleName, string> = {
  ADMIN: "Admin",
  FINANCE: "Finance",
  VIEWER: "Viewer",
};
