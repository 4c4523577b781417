import { z } from "zod";
import { ROLES } from "@/lib/auth/roles";
import { passwordSchema } from "@/lib/users/password-policy";
import { storableText } from "@/lib/validation/text";

export const emailSchema = z
  .string({ error: "Enter an email address." })
  .trim()
  .toLowerCase()
  .max(254, "Use at most 254 characters.")
  .pipe(z.email({ error: "Enter a valid email address." }));

export const userSchema = z.object({
  email: emailSchema,
  name: storableText(z.string({ error: "Enter a name or leave it empty." }))
    .trim()
    .max(120, "Use at most 120 characters.")
    .default(""),
  role: z.enum(ROLES, { error: "Choose a role." }),
  password: passwordSchema,
});

export const setupSchema = userSchema
  .pick({ email: true, name: true, password: true })
  .extend({ confirmPassword: z.string() })
  .refine((value) => value.password === value.confirmPassword, {
    path: ["confirmPassword"],
    message: "The passwords do not match.",
  });

export const createUserSchema = userSchema;
export const userIdSchema = z.object({ userId: z.uuid({ error: "Unknown user." }) });
export const changeRoleSchema = userIdSchema.extend({ role: userSchema.shape.role });

// Forms submit "true"/"false"; tests and scripts may pass a real boolean.
export const setDisabledSchema = userIdSchema.extend({
  disabled: z.union([z.boolean(), z.enum(["true", "false"]).transform((value) => value === "true")], {
    error: "Choose enable or disable.",
  }),
});

export const resetPasswordSchema = userIdSchema.extend({ password: passwordSchema });

export type CreateUserInput = z.output<typeof createUserSchema>;
export type ChangeRoleInput = z.output<typeof changeRoleSchema>;
export type SetDisabledInput = z.output<typeof setDisabledSchema>;
export type ResetPasswordInput = z.output<typeof resetPasswordSchema>;
