import { z } from "zod";
import { storableText } from "@/lib/validation/text";

// One evaluation case as imported, edited and stored: a prompt or a chat messages array, the
// expected output, optional metadata. Shared by the import parser, the case editor and the worker.

export const MAX_CASES = 5_000;
const MAX_TEXT = 100_000;

const text = (what: string) =>
  storableText(z.string({ error: `${what} must be text.` }), what).max(
    MAX_TEXT,
    `${what} is longer than ${MAX_TEXT.toLocaleString("en")} characters.`,
  );

export const caseMessageSchema = z.object({
  role: z.enum(["system", "user", "assistant"], { error: "Each message's role must be system, user or assistant." }),
  content: text("A message's content"),
});
export type CaseMessage = z.output<typeof caseMessageSchema>;

const metadataSchema = z
  .record(z.string(), z.unknown(), { error: "metadata must be a JSON object." })
  .refine((value) => JSON.stringify(value).length <= 10_000, "metadata is larger than 10,000 characters of JSON.")
  .refine((value) => !/\\u0000/.test(JSON.stringify(value)), "metadata holds a NUL character.");

export const caseSchema = z
  .object({
    prompt: text("prompt").nullable().default(null),
    messages: z
      .array(caseMessageSchema, { error: "messages must be an array of {role, content}." })
      .min(1, "messages must hold at least one message.")
      .max(100, "Use at most 100 messages.")
      .nullable()
      .default(null),
    expectedOutput: text("expected output").default(""),
    metadata: metadataSchema.default({}),
  })
  .superRefine((value, context) => {
    const hasPrompt = value.prompt !== null && value.prompt.trim() !== "";
    if (hasPrompt === (value.messages !== null))
      context.addIssue({
        code: "custom",
        path: ["prompt"],
        message: "Give either a prompt or a messages array (exactly one).",
      });
    if (value.messages && !value.messages.some((message) => message.role === "user"))
      context.addIssue({ code: "custom", path: ["messages"], message: "messages must include a user message." });
  });
export type EvalCaseInput = z.output<typeof caseSchema>;

/** The case's conversation as the call engine takes it. */
export function caseMessages(input: Pick<EvalCaseInput, "prompt" | "messages">): CaseMessage[] {
  return input.messages ?? [{ role: "user", content: input.prompt ?? "" }];
}

/** The case's input as one text (judge prompts, tables, CSV). */
export function caseInputText(input: Pick<EvalCaseInput, "prompt" | "messages">): string {
  if (input.prompt !== null) return input.prompt;
  return (input.messages ?? []).map((message) => `${message.role}: ${message.content}`).join("\n");
}
