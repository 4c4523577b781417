import { z } from "zod";
import { booleanText } from "@/lib/providers/schemas";
import { routeNameSchema, routeSettingsSchema } from "@/lib/routes/schemas";
import { storableText } from "@/lib/validation/text";

// The route actions' inputs. The editor posts a route's settings as one JSON field (groups of
// targets do not fit flat form fields); tests and other callers may pass the object itself. Field
// errors keep the settings' own paths ("settings.groups.0.targets.1.weight").

const settingsField = z.preprocess((raw, context) => {
  if (typeof raw !== "string") return raw;
  try {
    return JSON.parse(raw) as unknown;
  } catch {
    context.addIssue({ code: "custom", message: "The route's settings could not be read; reload the page." });
    return z.NEVER;
  }
}, routeSettingsSchema);

const versionNumber = (message: string) =>
  z.coerce.number(message).int(message).min(0, message).max(1_000_000_000, message);

const routeId = z.uuid({ error: "Unknown route." });
const comment = storableText(z.string({ error: "Enter text." }))
  .trim()
  .max(500, "Keep the comment under 500 characters.")
  .default("");

export const createRouteSchema = z.object({
  name: routeNameSchema,
  description: storableText(z.string({ error: "Describe the route in text." }))
    .trim()
    .max(500, "Use at most 500 characters.")
    .default(""),
  settings: settingsField,
  comment,
});

export const saveRouteVersionSchema = z.object({
  routeId,
  // The version the editor was opened on; a save based on an older one is refused (no lost update).
  baseVersion: versionNumber("Reload the page and try again."),
  settings: settingsField,
  comment,
});

export const rollbackRouteSchema = z.object({
  routeId,
  baseVersion: versionNumber("Reload the page and try again."),
  version: versionNumber("Pick a version from the history.").refine(
    (value) => value >= 1,
    "Pick a version from the history.",
  ),
  comment,
});

export const setRouteEnabledSchema = z.object({ routeId, enabled: booleanText });

export const archiveRouteSchema = z.object({
  routeId,
  confirm: z.union([z.literal("on"), z.literal(true)], { error: "Tick the box to confirm." }),
});

export type CreateRouteInput = z.output<typeof createRouteSchema>;
export type SaveRouteVersionInput = z.output<typeof saveRouteVersionSchema>;
