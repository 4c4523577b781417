import { z } from "zod";
import { booleanText } from "@/lib/providers/schemas";
import { storableText } from "@/lib/validation/text";
import { emailSchema } from "@/lib/users/schemas";
import { EVENT_KINDS, SEVERITIES } from "@/lib/notifications/events";

// Forms and actions of the notifications page. The URL's egress and self checks need the
// environment and run in the handler (lib/notifications/webhook-url.ts); here only its shape.

export const channelIdSchema = z.object({ channelId: z.uuid({ error: "Unknown channel." }) });

const channelName = storableText(z.string({ error: "Enter a name." }).trim())
  .min(1, "Enter a name.")
  .max(100, "Use at most 100 characters.");

export const webhookUrlSchema = storableText(z.string({ error: "Enter the webhook URL." }).trim())
  .min(1, "Enter the webhook URL.")
  .max(2000, "Use a URL of at most 2,000 characters.")
  .refine((value) => URL.canParse(value), "Enter a full URL, such as https://hooks.example.com/console.");

export const createChannelSchema = z.object({
  name: channelName,
  url: webhookUrlSchema,
  format: z.enum(["JSON", "SLACK"], { error: "Choose JSON or Slack." }).default("JSON"),
});

export const SMTP_TLS_MODES = ["STARTTLS", "IMPLICIT", "NONE"] as const;

export const smtpHostSchema = storableText(z.string({ error: "Enter the SMTP server's host name." }).trim())
  .min(1, "Enter the SMTP server's host name.")
  .max(253, "Use a host name of at most 253 characters.")
  .regex(/^(\[[0-9a-fA-F:.]+\]|[A-Za-z0-9.:-]+)$/, "Enter a host name or IP address, such as smtp.example.com.");

const smtpUsername = storableText(z.string({ error: "Enter the user name or leave it empty." }).trim())
  .max(320, "Use at most 320 characters.")
  .optional()
  .transform((value) => (value ? value : null));

// Not trimmed: a password may start or end with a space.
export const smtpPasswordSchema = storableText(z.string({ error: "Enter the password." }))
  .min(1, "Enter the password.")
  .max(1000, "Use at most 1,000 characters.");

/** An email channel: its SMTP server, TLS mode, optional credentials and the From address. */
export const createEmailChannelSchema = z
  .object({
    name: channelName,
    smtpHost: smtpHostSchema,
    smtpPort: z.coerce
      .number({ error: "Enter a port from 1 to 65535." })
      .int("Enter a port from 1 to 65535.")
      .min(1, "Enter a port from 1 to 65535.")
      .max(65535, "Enter a port from 1 to 65535."),
    smtpTls: z.enum(SMTP_TLS_MODES, { error: "Choose STARTTLS, implicit TLS or none." }).default("STARTTLS"),
    smtpUsername,
    smtpPassword: z
      .union([z.literal(""), smtpPasswordSchema])
      .optional()
      .transform((value) => (value ? value : null)),
    fromAddress: emailSchema,
    selfSubscribe: booleanText.optional().transform((value) => value ?? false),
  })
  .refine((value) => (value.smtpUsername === null) === (value.smtpPassword === null), {
    path: ["smtpPassword"],
    message: "Enter both a user name and a password, or neither.",
  });

/** Replaces an email channel's credentials (the password is never shown, only replaced). */
export const setSmtpPasswordSchema = channelIdSchema.extend({
  smtpUsername: storableText(z.string({ error: "Enter the user name." }).trim())
    .min(1, "Enter the user name.")
    .max(320, "Use at most 320 characters."),
  smtpPassword: smtpPasswordSchema,
});

export const setSelfSubscribeSchema = channelIdSchema.extend({ selfSubscribe: booleanText });

/** A webhook channel's new signing secret: receivers verifying with the old one stop accepting. */
export const rotateChannelSecretSchema = channelIdSchema.extend({
  confirm: z.union([z.literal("on"), z.literal(true)], {
    error: "Tick the box: receivers must switch to the new secret.",
  }),
});

export const MAX_RECIPIENTS = 50;

/** A rule's recipients: a list, or one text field with addresses separated by commas, spaces or lines. */
export const recipientsSchema = z
  .union([z.string(), z.array(z.string()).max(MAX_RECIPIENTS, `Use at most ${MAX_RECIPIENTS} addresses.`)], {
    error: "Enter email addresses.",
  })
  .optional()
  .transform((value, ctx) => {
    const items = (value === undefined ? [] : Array.isArray(value) ? value : value.split(/[\s,;]+/))
      .map((item) => item.trim())
      .filter(Boolean);
    const addresses: string[] = [];
    for (const [index, item] of items.entries()) {
      const parsed = emailSchema.safeParse(item);
      if (!parsed.success) {
        // One message for the field (the form shows errors by field), naming the position, not the text.
        ctx.addIssue({ code: "custom", message: `Address ${index + 1} is not a valid email address.` });
        return z.NEVER;
      }
      addresses.push(parsed.data);
    }
    const unique = [...new Set(addresses)];
    if (unique.length > MAX_RECIPIENTS) {
      ctx.addIssue({ code: "custom", message: `Use at most ${MAX_RECIPIENTS} addresses.` });
      return z.NEVER;
    }
    return unique;
  });

export const setChannelEnabledSchema = channelIdSchema.extend({ enabled: booleanText });

export const createRuleSchema = channelIdSchema.extend({
  // None ticked means every kind, now and later.
  eventKinds: z
    .union([z.enum(EVENT_KINDS), z.array(z.enum(EVENT_KINDS)).max(EVENT_KINDS.length)], {
      error: "Choose known event kinds.",
    })
    .optional()
    .transform((value) => [...new Set(value === undefined ? [] : Array.isArray(value) ? value : [value])]),
  minSeverity: z.enum(SEVERITIES, { error: "Choose a severity." }).default("INFO"),
  // Email channels only (at least one there; none on a webhook channel): checked in the handler.
  recipients: recipientsSchema,
});

export const ruleIdSchema = z.object({ ruleId: z.uuid({ error: "Unknown rule." }) });
