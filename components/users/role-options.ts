import { ROLES, ROLE_LABEL } from "@/lib/auth/roles";

export const ROLE_OPTIONS = ROLES.map((role) => ({ value: role, label: ROLE_LABEL[role] }));

export const ROLE_HINT =
  "Admin: everything. Finance: usage, spend and prices, read only. Viewer: reads providers and charts.";
