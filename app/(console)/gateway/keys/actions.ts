"use server";

import { defineAction } from "@/lib/actions/define-action";
import {
  createGatewayKeySpec,
  revokeGatewayKeySpec,
  rotateGatewayKeySpec,
  updateGatewayKeySpec,
} from "@/lib/gateway-keys/action-specs";

// Admin-only (gateway:write), checked by defineAction on every call. Create and rotate answer with
// the plaintext key once; it is stored only as a hash.
export const createGatewayKey = defineAction(createGatewayKeySpec);
export const updateGatewayKey = defineAction(updateGatewayKeySpec);
export const revokeGatewayKey = defineAction(revokeGatewayKeySpec);
export const rotateGatewayKey = defineAction(rotateGatewayKeySpec);
