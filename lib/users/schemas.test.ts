import { describe, expect, it } from "vitest";
import { changeRoleSchema, createUserSchema, resetPasswordSchema, setDisabledSchema } from "@/lib/users/schemas";

const id = "7d444840-9dc0-41a1-8e4c-2a1d0b4a6f3e";

describe("user schemas", () => {
  it("normalises the email and defaults the name", () => {
    expect(
      createUserSchema.parse({ email: "  Ada@Example.TEST ", role: "FINANCE", password: "a sturdy passphrase" }),
    ).toEqual({
      email: "ada@example.test",
      name: "",
      role: "FINANCE",
      password: "a sturdy passphrase",
    });
  });

  it("refuses unknown roles, weak passwords and overlong names", () => {
    const result = createUserSchema.safeParse({
      email: "a@example.test",
      name: "n".repeat(121),
      role: "ROOT",
      password: "aaaaaaaaaaaaaaaa",
    });
    expect(result.success).toBe(false);
    const paths = result.error?.issues.map((issue) => issue.path.join("."));
    expect(paths).toEqual(expect.arrayContaining(["name", "role", "password"]));
  });

  it("accepts the disabled flag as a form string or a boolean", () => {
    expect(setDisabledSchema.parse({ userId: id, disabled: "true" }).disabled).toBe(true);
    expect(setDisabledSchema.parse({ userId: id, disabled: "false" }).disabled).toBe(false);
    expect(setDisabledSchema.parse({ userId: id, disabled: true }).disabled).toBe(true);
    expect(setDisabledSchema.safeParse({ userId: id, disabled: "yes" }).success).toBe(false);
  });

  it("requires a real uuid for the user", () => {
    expect(changeRoleSchema.safeParse({ userId: "42", role: "ADMIN" }).error?.issues[0]?.message).toBe("Unknown user.");
    expect(resetPasswordSchema.safeParse({ userId: id, password: "a sturdy passphrase" }).success).toBe(true);
  });
});
