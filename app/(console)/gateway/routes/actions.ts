"use server";

import { defineAction } from "@/lib/actions/define-action";
import {
  archiveRouteSpec,
  createRouteSpec,
  rollbackRouteSpec,
  saveRouteVersionSpec,
  setRouteEnabledSpec,
} from "@/lib/routes/action-specs";

// Admin-only (gateway:write), checked by defineAction on every call.
export const createRoute = defineAction(createRouteSpec);
export const saveRouteVersion = defineAction(saveRouteVersionSpec);
export const rollbackRoute = defineAction(rollbackRouteSpec);
export const setRouteEnabled = defineAction(setRouteEnabledSpec);
export const archiveRoute = defineAction(archiveRouteSpec);
