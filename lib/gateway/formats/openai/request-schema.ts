// The subset of OpenAI's chat completions request the gateway understands (issue #13). Unknown
// top-level fields are stripped here: OpenAI-format providers get the caller's original bytes,
// the translated providers only ever see what this schema knows how to map.
import { z } from "zod";

const textPart = z.object({ type: z.literal("text"), text: z.string() });
const imagePart = z.object({
  type: z.literal("image_url"),
  image_url: z.object({ url: z.string().min(1), detail: z.enum(["auto", "low", "high"]).optional() }),
});
const refusalPart = z.object({ type: z.literal("refusal"), refusal: z.string() });

const userPart = z.discriminatedUnion("type", [textPart, imagePart], {
  error: 'content part type must be "text" or "image_url"',
});
const assistantPart = z.discriminatedUnion("type", [textPart, refusalPart], {
  error: 'assistant content part type must be "text" or "refusal"',
});

const textContent = z.union([z.string(), z.array(textPart)], { error: "expected a string or an array of text parts" });

// Provider tool names share OpenAI's limit, so a name valid here is valid upstream too.
const toolName = z.string().regex(/^[a-zA-Z0-9_-]{1,64}$/, "must be 1-64 letters, digits, _ or -");

export const toolCallSchema = z.object({
  id: z.string().min(1),
  type: z.literal("function"),
  function: z.object({ name: toolName, arguments: z.string() }),
});

const systemMessage = z.object({
  role: z.enum(["system", "developer"]),
  content: textContent,
  name: z.string().optional(),
});
const userMessage = z.object({
  role: z.literal("user"),
  content: z.union([z.string(), z.array(userPart)], { error: "expected a string or an array of content parts" }),
  name: z.string().optional(),
});
const assistantMessage = z.object({
  role: z.literal("assistant"),
  content: z.union([z.string(), z.array(assistantPart), z.null()]).optional(),
  tool_calls: z.array(toolCallSchema).optional(),
  name: z.string().optional(),
});
const toolMessage = z.object({ role: z.literal("tool"), tool_call_id: z.string().min(1), content: textContent });

export const messageSchema = z.discriminatedUnion("role", [systemMessage, userMessage, assistantMessage, toolMessage], {
  error: "role must be one of system, developer, user, assistant, tool",
});

const toolSchema = z.object({
  type: z.literal("function"),
  function: z.object({
    name: toolName,
    description: z.string().optional(),
    parameters: z.record(z.string(), z.unknown()).optional(),
    strict: z.boolean().nullable().optional(),
  }),
});

const toolChoiceSchema = z.union(
  [
    z.enum(["none", "auto", "required"]),
    z.object({ type: z.literal("function"), function: z.object({ name: toolName }) }),
  ],
  { error: 'expected "none", "auto", "required" or {type:"function",function:{name}}' },
);

const responseFormatSchema = z.discriminatedUnion(
  "type",
  [
    z.object({ type: z.literal("text") }),
    z.object({ type: z.literal("json_object") }),
    z.object({
      type: z.literal("json_schema"),
      json_schema: z.object({
        name: toolName,
        description: z.string().optional(),
        schema: z.record(z.string(), z.unknown()).optional(),
        strict: z.boolean().nullable().optional(),
      }),
    }),
  ],
  { error: 'type must be "text", "json_object" or "json_schema"' },
);

const positiveInt = z.number().int().positive();

export const chatRequestSchema = z.object({
  model: z.string().min(1, "model is required"),
  messages: z.array(messageSchema).min(1, "at least one message is required"),
  tools: z.array(toolSchema).max(128).optional(),
  tool_choice: toolChoiceSchema.optional(),
  parallel_tool_calls: z.boolean().optional(),
  response_format: responseFormatSchema.optional(),
  max_tokens: positiveInt.nullable().optional(),
  max_completion_tokens: positiveInt.nullable().optional(),
  temperature: z.number().min(0).max(2).nullable().optional(),
  top_p: z.number().min(0).max(1).nullable().optional(),
  stop: z
    .union([z.string(), z.array(z.string()).max(4)])
    .nullable()
    .optional(),
  seed: z.number().int().nullable().optional(),
  n: z.number().int().min(1).max(128).nullable().optional(),
  stream: z.boolean().nullable().optional(),
  stream_options: z.object({ include_usage: z.boolean().optional() }).nullable().optional(),
  user: z.string().optional(),
});

export type ChatRequest = z.infer<typeof chatRequestSchema>;
export type ChatMessage = z.infer<typeof messageSchema>;
export type ChatToolCall = z.infer<typeof toolCallSchema>;
export type ChatTool = z.infer<typeof toolSchema>;
export type ChatToolChoice = z.infer<typeof toolChoiceSchema>;
export type ChatResponseFormat = z.infer<typeof responseFormatSchema>;
export type UserContentPart = z.infer<typeof userPart>;
export type TextPart = z.infer<typeof textPart>;
