import { z } from "zod";

// Text a schema lets through reaches PostgreSQL, which refuses NUL in text (the statement fails,
// and with it a whole batch or form), and the UTF-8 encoder, which silently turns a lone surrogate
// into U+FFFD (so two different values become one). Both are refused here, as field errors.

export const NUL_MESSAGE = "Remove the NUL character (\\u0000): it cannot be stored.";
export const SURROGATE_MESSAGE = "This text is not well-formed Unicode (it has a lone surrogate).";

const LONE_SURROGATE = /[\uD800-\uDFFF]/u;

export const hasNul = (value: string): boolean => value.includes("\u0000");
/** With the u flag a surrogate pair is one code point, so only an unpaired half matches. */
export const hasLoneSurrogate = (value: string): boolean => LONE_SURROGATE.test(value);

/** A string schema that refuses NUL and lone surrogates (each with its own message). */
export function storableText(schema: z.ZodString, what = ""): z.ZodString {
  const prefix = what ? `${what}: ` : "";
  return schema
    .refine((value) => !hasNul(value), `${prefix}${NUL_MESSAGE}`)
    .refine((value) => !hasLoneSurrogate(value), `${prefix}${SURROGATE_MESSAGE}`);
}
