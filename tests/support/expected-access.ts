// The access rules the tests expect, written out by hand. The role tests must not take their
// expected refusals from the product's own can(): a wrong edit to lib/auth/roles.ts (or to the
// capability a spec asks for) would then move the expectation along with the bug.
import type { Capability, RoleName } from "@/lib/auth/roles";

/** Every capability × the roles allowed it. Typed as a full Record, so a new capability fails typecheck until pinned here. */
export const EXPECTED_CAPABILITY_ROLES: Record<Capability, readonly RoleName[]> = {
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
  "gateway:read": ["ADMIN", "FINANCE", "VIEWER"],
  "gateway:write": ["ADMIN"],
  "notifications:read": ["ADMIN", "FINANCE", "VIEWER"],
  "notifications:write": ["ADMIN"],
};

/** Every mutating action spec (by spec name) × the capability it must demand. A new spec fails the access-matrix test until pinned here. */
export const EXPECTED_ACTION_CAPABILITY: Readonly<Record<string, Capability>> = {
  "budgets.delete": "settings:write",
  "budgets.set": "settings:write",
  "config.rollback": "providers:write",
  "config.save": "providers:write",
  "gatewayKeys.create": "gateway:write",
  "gatewayKeys.revoke": "gateway:write",
  "gatewayKeys.rotate": "gateway:write",
  "gatewayKeys.update": "gateway:write",
  "healthChecks.settings": "settings:write",
  "healthChecks.testAll": "providers:write",
  "ingestTokens.create": "settings:write",
  "ingestTokens.revoke": "settings:write",
  "keys.add": "keys:write",
  "keys.revoke": "keys:write",
  "keys.rotate": "keys:write",
  "keys.setPrimary": "keys:write",
  "keys.test": "keys:write",
  "keys.rebind": "keys:write",
  "keys.returnToRotation": "keys:write",
  "masterkey.rewrap": "settings:write",
  "models.create": "providers:write",
  "notifications.createChannel": "notifications:write",
  "notifications.createRule": "notifications:write",
  "notifications.deleteRule": "notifications:write",
  "notifications.sendTest": "notifications:write",
  "notifications.setChannelEnabled": "notifications:write",
  "models.delete": "providers:write",
  "models.setEnabled": "providers:write",
  "models.update": "providers:write",
  "playground.settings": "settings:write",
  "prices.add": "prices:write",
  "providers.create": "providers:write",
  "providers.delete": "providers:write",
  "providers.restore": "providers:write",
  "providers.setEnabled": "providers:write",
  "providers.update": "providers:write",
  "routes.archive": "gateway:write",
  "routes.create": "gateway:write",
  "routes.rollback": "gateway:write",
  "routes.saveVersion": "gateway:write",
  "routes.setEnabled": "gateway:write",
  "teams.create": "gateway:write",
  "teams.delete": "gateway:write",
  "teams.update": "gateway:write",
  "testCalls.importModels": "providers:write",
  "testCalls.key": "keys:write",
  "testCalls.listImportable": "providers:write",
  "testCalls.model": "providers:write",
  "usage.reprice": "prices:write",
  "usage.retention.run": "settings:write",
  "usage.retention.set": "settings:write",
  "users.changeRole": "users:write",
  "users.create": "users:write",
  "users.resetPassword": "users:write",
  "users.setDisabled": "users:write",
};

/** The pinned answer to "may this role use this capability?" (anonymous never may). */
export function expectedAllowed(role: RoleName | null | undefined, capability: Capability): boolean {
  return !!role && EXPECTED_CAPABILITY_ROLES[capability].includes(role);
}
