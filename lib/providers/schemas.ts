import { z } from "zod";
import { PROVIDER_KIND_IDS, providerKind } from "@/lib/providers/catalog";
import { checkBaseUrl } from "@/lib/providers/base-url";
import { parseTags } from "@/lib/providers/tags";
import { storableText } from "@/lib/validation/text";

// Provider forms and actions share these; model and price schemas live in model-schemas.ts.
// Every field arrives as form text, so each schema accepts strings and normalises them.

export const PROVIDER_NAME_MAX = 80;

/**
 * The provider's part of a gateway model name (`<slug>/<model id>`): lower-case letters, digits and
 * inner dashes, at most 40 characters, so it needs no escaping in a URL or a model name.
 */
export const PROVIDER_SLUG_PATTERN = /^[a-z0-9](?:[a-z0-9-]{0,38}[a-z0-9])?$/;
export const PROVIDER_SLUG_MAX = 40;
const SLUG_FORMAT = `Use 1–${PROVIDER_SLUG_MAX} lower-case letters, digits and dashes, starting and ending with a letter or digit (e.g. openai-prod).`;

/**
 * Form text without NUL characters, which PostgreSQL text cannot store (without this check a
 * hand-made request could turn a field error into a database error), or lone surrogates.
 */
export const formText = (error: string) => storableText(z.string({ error }));

/** An HTML checkbox: "on" when ticked, absent otherwise (hand-made requests may send "true"). */
export const checkbox = z
  .union([z.string(), z.boolean()])
  .optional()
  .transform((value) => value === true || value === "on" || value === "true");

/** A `true`/`false` hidden field, for enable/disable buttons. */
export const booleanText = z
  .enum(["true", "false"], { error: "Choose true or false." })
  .transform((value) => value === "true");

export const providerIdSchema = z.object({ providerId: z.uuid({ error: "Unknown provider." }) });

const optionalText = (max: number) =>
  formText("Enter text.")
    .trim()
    .max(max, `Use at most ${max} characters.`)
    .optional()
    .transform((value) => value ?? "");

// Typed in upper case is still the same name: lower-cased before the format check.
const slugText = formText("Enter a slug.")
  .trim()
  .transform((value) => value.toLowerCase());
const slugFormat = (value: string) => PROVIDER_SLUG_PATTERN.test(value);

const providerFields = {
  name: formText("Enter a name.")
    .trim()
    .min(1, "Enter a name.")
    .max(PROVIDER_NAME_MAX, `Use at most ${PROVIDER_NAME_MAX} characters.`),
  baseUrl: z
    .string({ error: "Enter the provider's base URL." })
    .optional()
    .transform((value) => value ?? ""),
  allowInsecure: checkbox,
  description: optionalText(1000),
  region: optionalText(200),
  tags: formText("Enter tags separated by commas.")
    .optional()
    .transform((value, ctx) => {
      const parsed = parseTags(value ?? "");
      if (parsed.ok) return parsed.tags;
      ctx.addIssue({ code: "custom", message: parsed.message });
      return z.NEVER;
    }),
};

type BaseUrlInput = { baseUrl?: unknown; allowInsecure?: unknown; kind?: unknown };

// Runs even when other fields failed, so the person sees every problem at once.
function refineBaseUrl(value: BaseUrlInput, ctx: z.RefinementCtx, defaultFor: (value: BaseUrlInput) => string): void {
  // `always` runs this even when the input was not an object at all (null, a string…).
  if (!value || typeof value !== "object") return;
  const typed = typeof value.baseUrl === "string" ? value.baseUrl.trim() : "";
  const baseUrl = typed || defaultFor(value);
  if (!baseUrl) {
    ctx.addIssue({
      code: "custom",
      path: ["baseUrl"],
      message: "This kind has no public endpoint: enter the base URL.",
    });
    return;
  }
  const check = checkBaseUrl(baseUrl, value.allowInsecure === true);
  if (!check.ok) ctx.addIssue({ code: "custom", path: ["baseUrl"], message: check.message });
}

const always = { when: () => true };

export const createProviderSchema = z
  .object({
    ...providerFields,
    kind: z.enum(PROVIDER_KIND_IDS, { error: "Choose a provider kind." }),
    // Left empty, the database derives it from the name (a -2, -3… suffix on a clash).
    slug: slugText
      .optional()
      .transform((value) => value ?? "")
      .refine((value) => value === "" || slugFormat(value), SLUG_FORMAT),
    importDefaults: checkbox,
  })
  .superRefine(
    (value, ctx) =>
      refineBaseUrl(value, ctx, (v) => (typeof v.kind === "string" ? providerKind(v.kind).defaultBaseUrl : "")),
    always,
  )
  .transform((value) => ({
    ...value,
    baseUrl: normalisedBaseUrl(value.baseUrl || providerKind(value.kind).defaultBaseUrl, value.allowInsecure),
  }));

// The kind is fixed once a provider exists: its keys and models are specific to it.
export const updateProviderSchema = z
  .object({
    ...providerIdSchema.shape,
    ...providerFields,
    slug: slugText.pipe(z.string().min(1, { error: "Enter a slug.", abort: true }).refine(slugFormat, SLUG_FORMAT)),
  })
  .superRefine((value, ctx) => refineBaseUrl(value, ctx, () => ""), always)
  .transform((value) => ({ ...value, baseUrl: normalisedBaseUrl(value.baseUrl, value.allowInsecure) }));

function normalisedBaseUrl(baseUrl: string, allowInsecure: boolean): string {
  const check = checkBaseUrl(baseUrl, allowInsecure);
  return check.ok ? check.url : baseUrl;
}

export const setProviderEnabledSchema = providerIdSchema.extend({ enabled: booleanText });

export type CreateProviderInput = z.output<typeof createProviderSchema>;
export type UpdateProviderInput = z.output<typeof updateProviderSchema>;
