"use server";

import { defineAction } from "@/lib/actions/define-action";
import {
  changeUserRoleSpec,
  createUserSpec,
  resetUserPasswordSpec,
  setUserDisabledSpec,
} from "@/lib/users/action-specs";

// Each action checks the session and the users:write capability itself (defineAction), so a
// replayed or hand-made POST from another role is refused like a form submission would be.
export const createUser = defineAction(createUserSpec);
export const changeUserRole = defineAction(changeUserRoleSpec);
export const setUserDisabled = defineAction(setUserDisabledSpec);
export const resetUserPassword = defineAction(resetUserPasswordSpec);
