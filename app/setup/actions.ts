"use server";

import { redirect } from "next/navigation";
import { definePublicAction } from "@/lib/actions/define-action";
import type { ActionResult } from "@/lib/actions/result";
import { setupSpec } from "@/lib/users/setup-spec";

// The one action that runs without a session: the public-action pipeline (origin → setup still
// open and rate limit → zod → handler). createFirstAdmin checks again under a lock.
const createFirstAdmin = definePublicAction(setupSpec());

export async function setupAction(previous: ActionResult | undefined, formData: FormData): Promise<ActionResult> {
  const result = await createFirstAdmin(previous, formData);
  if (result.ok) redirect("/login?setup=done");
  return result;
}
