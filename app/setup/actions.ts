"use server";

import { redirect } from "next/navigation";
import { setupSchema } from "@/lib/users/schemas";
import { createFirstAdmin } from "@/lib/users/create-first-admin";
import { errorResult } from "@/lib/actions/define-action";
import { zodFieldErrors } from "@/lib/errors/field-errors";
import { formDataToObject } from "@/lib/actions/form-data";
import type { ActionResult } from "@/lib/actions/result";

// The one action that runs without a session: it only works while no user exists, which
// createFirstAdmin checks under a lock.
export async function setupAction(_previous: ActionResult | undefined, formData: FormData): Promise<ActionResult> {
  // Anyone can post here, with any encoded arguments: only a form is an answerable request.
  if (!(formData instanceof FormData)) return { ok: false, message: "Send the setup form." };
  const parsed = setupSchema.safeParse(formDataToObject(formData));
  if (!parsed.success) {
    const { email, name } = formDataToObject(formData);
    return {
      ok: false,
      message: "Check the highlighted fields.",
      fieldErrors: zodFieldErrors(parsed.error),
      values: { email: typeof email === "string" ? email : "", name: typeof name === "string" ? name : "" },
    };
  }
  try {
    await createFirstAdmin(parsed.data);
  } catch (error) {
    return errorResult("setup.createFirstAdmin", error);
  }
  redirect("/login?setup=done");
}
