import { z } from "zod";
import { ROLES } from "@/lib/auth/roles";
import { passwordSchema } from "@/lib/users/password-policy";

export const emailSchema = z
  .string({ error: "Enter an email address." })
  .trim()
  .toLowerCase()
  .max(254, "Use at most 254 characters.")
  .pipe(z.email({ error: "Enter a valid email address." }));

export const userSchema = z.object({
  email: emailSchema,
  name: z.string().trim().max(120, "Use at most 120 characters.").default(""),
  role: z.enum(ROLES, { error: "Choose a role." }),
  password: passwordSchema,
});

export const setupSchema = userSchema
  .pick({ email: true, name: true, password: true })
  .extend({ confirmPassword: z.string() })
  .refine((value) => value.password === value.confirmPassword, { path: ["confirmPassword"], message: "The passwords do not match." });

export const createUserSchema = userSchema;
export const changeRoleSchema = z.object({ userId: z.uuid({ error: "Unknown user." }), role: userSchema.shape.role });
export const userIdSchema = z.object({ userId: z.uuid({ error: "Unknown user." }) });
export const setDisabledSchema = userIdSchema.extend({ disabled: z.enum(["true", "false"]).transform((value) => value === "true") });
