// OpenAI chat request -> Gemini generateContent request body (the same body serves
// streamGenerateContent; only the URL differs, see geminiConfig.path). Anything Gemini cannot do
// is a 400 in OpenAI's shape before the provider is called.
import { unsupported } from "../openai/errors";
import { requestedMaxTokens, stopSequences } from "../openai/parse-request";
import type { ChatRequest, ChatTool, ChatToolChoice } from "../openai/request-schema";
import type { Translation } from "../openai/types";
import { GEMINI, GENERATION_FIELDS, TOOL_MODES } from "./config";
import { toGeminiConversation } from "./contents";
import { hasProperties, toGeminiSchema } from "./schema";
import type { GeminiFunctionDeclaration, GeminiGenerationConfig, GeminiRequest } from "./types";

export type GeminiRequestOptions = {
  // Gemini 2.5 and later accept full JSON Schema (responseJsonSchema, parametersJsonSchema); older
  // models only the OpenAPI subset, so conversion is the default.
  jsonSchemaFields?: boolean;
};

function declaration(
  tool: ChatTool,
  options: GeminiRequestOptions,
  index: number,
): Translation<GeminiFunctionDeclaration> {
  const { name, description, parameters } = tool.function;
  const out: GeminiFunctionDeclaration = { name, ...(description ? { description } : {}) };
  if (!hasProperties(parameters)) return { ok: true, value: out };
  if (options.jsonSchemaFields) return { ok: true, value: { ...out, parametersJsonSchema: parameters } };
  const schema = toGeminiSchema(parameters);
  const param = `tools[${index}].function.parameters`;
  if (!schema.ok) return { ok: false, error: unsupported(GEMINI, `${param}: ${schema.reason}`, param) };
  return { ok: true, value: { ...out, parameters: schema.value } };
}

function toolConfig(choice: ChatToolChoice): NonNullable<GeminiRequest["toolConfig"]> {
  if (typeof choice === "string") return { functionCallingConfig: { mode: TOOL_MODES[choice] } };
  return { functionCallingConfig: { mode: "ANY", allowedFunctionNames: [choice.function.name] } };
}

function responseFormat(
  request: ChatRequest,
  config: GeminiGenerationConfig,
  options: GeminiRequestOptions,
): Translation<null> {
  const format = request.response_format;
  if (!format || format.type === "text") return { ok: true, value: null };
  config.responseMimeType = "application/json";
  const schema = format.type === "json_schema" ? format.json_schema.schema : undefined;
  if (!schema) return { ok: true, value: null };
  if (options.jsonSchemaFields) {
    config.responseJsonSchema = schema;
    return { ok: true, value: null };
  }
  const converted = toGeminiSchema(schema);
  const param = "response_format.json_schema.schema";
  if (!converted.ok) return { ok: false, error: unsupported(GEMINI, `${param}: ${converted.reason}`, param) };
  config.responseSchema = converted.value;
  return { ok: true, value: null };
}

export function toGeminiRequest(request: ChatRequest, options: GeminiRequestOptions = {}): Translation<GeminiRequest> {
  const conversation = toGeminiConversation(request.messages);
  if (!conversation.ok) return conversation;
  const out: GeminiRequest = { ...conversation.value };

  const config: GeminiGenerationConfig = {};
  for (const field of GENERATION_FIELDS) {
    const value = request[field.from];
    if (value === null || value === undefined) continue;
    if (value > field.max)
      return { ok: false, error: unsupported(GEMINI, `${field.from} above ${field.max}`, field.from) };
    config[field.to] = value;
  }
  const maxTokens = requestedMaxTokens(request);
  if (maxTokens !== undefined) config.maxOutputTokens = maxTokens;
  const stop = stopSequences(request);
  if (stop) config.stopSequences = stop;
  const format = responseFormat(request, config, options);
  if (!format.ok) return format;
  if (Object.keys(config).length) out.generationConfig = config;

  if (request.tools?.length) {
    const declarations: GeminiFunctionDeclaration[] = [];
    for (const [index, tool] of request.tools.entries()) {
      const converted = declaration(tool, options, index);
      if (!converted.ok) return converted;
      declarations.push(converted.value);
    }
    out.tools = [{ functionDeclarations: declarations }];
  }
  if (request.tool_choice !== undefined && out.tools) out.toolConfig = toolConfig(request.tool_choice);
  return { ok: true, value: out };
}
