import { z } from "zod";

// A length rule with a few cheap refusals (NIST SP 800-63B style): no composition rules, which
// push people to predictable patterns, but no trivially guessable passwords either.
const COMMON = new Set([
  "password1234",
  "123456789012",
  "qwertyuiopas",
  "letmein12345",
  "adminadmin12",
  "passwordpassword",
  "changeme1234",
]);

export const PASSWORD_MIN_LENGTH = 12;

export const passwordSchema = z
  .string({ error: "Enter a password." })
  .min(PASSWORD_MIN_LENGTH, `Use at least ${PASSWORD_MIN_LENGTH} characters.`)
  .max(256, "Use at most 256 characters.")
  .refine((value) => new Set(value).size >= 5, "Use a less repetitive password (at least 5 different characters).")
  .refine((value) => !COMMON.has(value.toLowerCase()), "This password is too common.");
