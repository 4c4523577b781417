"use server";

import { defineAction } from "@/lib/actions/define-action";
import { createTeamSpec, deleteTeamSpec, updateTeamSpec } from "@/lib/gateway-keys/team-action-specs";

// Admin-only (gateway:write), checked by defineAction on every call.
export const createTeam = defineAction(createTeamSpec);
export const updateTeam = defineAction(updateTeamSpec);
export const deleteTeam = defineAction(deleteTeamSpec);
