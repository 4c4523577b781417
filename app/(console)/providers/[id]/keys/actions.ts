"use server";

import { defineAction } from "@/lib/actions/define-action";
import {
  addKeySpec,
  rebindKeySpec,
  returnToRotationSpec,
  revokeKeySpec,
  rotateKeySpec,
  setPrimaryKeySpec,
  testKeySpec,
} from "@/lib/keys/action-specs";

export const addKey = defineAction(addKeySpec);
export const rotateKey = defineAction(rotateKeySpec);
export const revokeKey = defineAction(revokeKeySpec);
export const setPrimaryKey = defineAction(setPrimaryKeySpec);
export const testKey = defineAction(testKeySpec);
export const rebindKey = defineAction(rebindKeySpec);
export const returnKeyToRotation = defineAction(returnToRotationSpec);
