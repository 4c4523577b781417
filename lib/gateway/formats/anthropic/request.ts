// OpenAI chat request -> Anthropic Messages request. Returns a 400 in OpenAI's shape for anything
// Anthropic cannot do, so the provider is never called with a request it would refuse anyway.
import { unsupported } from "../openai/errors";
import { requestedMaxTokens, stopSequences } from "../openai/parse-request";
import type { ChatRequest, ChatToolChoice } from "../openai/request-schema";
import type { Translation } from "../openai/types";
import { ANTHROPIC, JSON_TOOL, NUMERIC_FIELDS, TOOL_CHOICES } from "./config";
import { toAnthropicConversation } from "./messages";
import type { AnthropicRequest, AnthropicRequestContext, AnthropicToolChoice } from "./types";

export type AnthropicRequestOptions = {
  // The model id as registered at the provider (the part after "provider/").
  upstreamModel: string;
  // Anthropic requires max_tokens; used when the caller sets neither max_tokens field.
  defaultMaxTokens: number;
};

export type AnthropicTranslatedRequest = { request: AnthropicRequest; context: AnthropicRequestContext };

function toolChoice(choice: ChatToolChoice, parallel: boolean | undefined): AnthropicToolChoice {
  if (choice === "none") return TOOL_CHOICES.none;
  const base: AnthropicToolChoice =
    typeof choice === "string" ? { ...TOOL_CHOICES[choice] } : { type: "tool", name: choice.function.name };
  return parallel === false ? { ...base, disable_parallel_tool_use: true } : base;
}

function applyResponseFormat(request: ChatRequest, out: AnthropicRequest): Translation<AnthropicRequestContext> {
  const format = request.response_format;
  if (!format || format.type === "text") return { ok: true, value: {} };
  if (request.tools?.length) {
    return { ok: false, error: unsupported(ANTHROPIC, "response_format json together with tools", "response_format") };
  }
  const schema =
    format.type === "json_schema" ? (format.json_schema.schema ?? JSON_TOOL.anySchema) : JSON_TOOL.anySchema;
  if (schema.type !== "object") {
    return {
      ok: false,
      error: unsupported(
        ANTHROPIC,
        "a json_schema whose top level is not an object",
        "response_format.json_schema.schema",
      ),
    };
  }
  out.tools = [{ name: JSON_TOOL.name, description: JSON_TOOL.description, input_schema: schema }];
  out.tool_choice = { type: "tool", name: JSON_TOOL.name };
  return { ok: true, value: { jsonToolName: JSON_TOOL.name } };
}

export function toAnthropicRequest(
  request: ChatRequest,
  options: AnthropicRequestOptions,
): Translation<AnthropicTranslatedRequest> {
  if ((request.n ?? 1) > 1) return { ok: false, error: unsupported(ANTHROPIC, "n greater than 1", "n") };
  const conversation = toAnthropicConversation(request.messages);
  if (!conversation.ok) return conversation;

  const out: AnthropicRequest = {
    model: options.upstreamModel,
    max_tokens: requestedMaxTokens(request) ?? options.defaultMaxTokens,
    ...conversation.value,
  };
  for (const field of NUMERIC_FIELDS) {
    const value = request[field.from];
    if (value === null || value === undefined) continue;
    if (value > field.max)
      return { ok: false, error: unsupported(ANTHROPIC, `${field.from} above ${field.max}`, field.from) };
    out[field.to] = value;
  }
  const stop = stopSequences(request);
  if (stop) out.stop_sequences = stop;
  if (request.stream) out.stream = true;
  if (request.tools?.length) {
    out.tools = request.tools.map(({ function: fn }) => ({
      name: fn.name,
      ...(fn.description ? { description: fn.description } : {}),
      input_schema: fn.parameters ?? { type: "object", properties: {} },
    }));
  }
  if (request.tool_choice !== undefined) out.tool_choice = toolChoice(request.tool_choice, request.parallel_tool_calls);
  else if (request.parallel_tool_calls === false && out.tools)
    out.tool_choice = { type: "auto", disable_parallel_tool_use: true };

  const context = applyResponseFormat(request, out);
  if (!context.ok) return context;
  return { ok: true, value: { request: out, context: context.value } };
}
