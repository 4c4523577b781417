import { z } from "zod";
import { booleanText } from "@/lib/providers/schemas";
import { storableText } from "@/lib/validation/text";
import { EVENT_KINDS, SEVERITIES } from "@/lib/notifications/events";

// Forms and actions of the notifications page. The URL's egress and self checks need the
// environment and run in the handler (lib/notifications/webhook-url.ts); here only its shape.

export const channelIdSchema = z.object({ channelId: z.uuid({ error: "Unknown channel." }) });

export const webhookUrlSchema = storableText(z.string({ error: "Enter the webhook URL." }).trim())
  .min(1, "Enter the webhook URL.")
  .max(2000, "Use a URL of at most 2,000 characters.")
  .refine((value) => URL.canParse(value), "Enter a full URL, such as https://hooks.example.com/console.");

export const createChannelSchema = z.object({
  name: storableText(z.string({ error: "Enter a name." }).trim())
    .min(1, "Enter a name.")
    .max(100, "Use at most 100 characters."),
  url: webhookUrlSchema,
  format: z.enum(["JSON", "SLACK"], { error: "Choose JSON or Slack." }).default("JSON"),
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
});

export const ruleIdSchema = z.object({ ruleId: z.uuid({ error: "Unknown rule." }) });
