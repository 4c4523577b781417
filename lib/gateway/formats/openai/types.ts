// What the gateway answers in OpenAI's chat completions shape: every translated provider's response,
// stream chunk and error ends up as one of these, so callers' SDKs parse them unchanged.

export type FinishReason = "stop" | "length" | "tool_calls" | "content_filter";

export type ResponseToolCall = {
  id: string;
  type: "function";
  function: { name: string; arguments: string };
};

export type ChatUsage = {
  prompt_tokens: number;
  completion_tokens: number;
  total_tokens: number;
  prompt_tokens_details?: { cached_tokens: number };
  completion_tokens_details?: { reasoning_tokens: number };
};

export type ChatChoice = {
  index: number;
  message: { role: "assistant"; content: string | null; refusal: null; tool_calls?: ResponseToolCall[] };
  finish_reason: FinishReason | null;
  logprobs: null;
};

export type ChatResponse = {
  id: string;
  object: "chat.completion";
  created: number;
  model: string;
  choices: ChatChoice[];
  usage?: ChatUsage;
};

// In a chunk only the first piece of a tool call carries id, type and name; later pieces append to
// `arguments` of the call at the same `index`.
export type ChunkToolCall = {
  index: number;
  id?: string;
  type?: "function";
  function: { name?: string; arguments: string };
};

export type ChunkDelta = { role?: "assistant"; content?: string; tool_calls?: ChunkToolCall[] };

export type ChunkChoice = {
  index: number;
  delta: ChunkDelta;
  finish_reason: FinishReason | null;
  logprobs: null;
};

export type ChatChunk = {
  id: string;
  object: "chat.completion.chunk";
  created: number;
  model: string;
  choices: ChunkChoice[];
  // OpenAI sends `usage: null` on every chunk but the last one when include_usage is on.
  usage?: ChatUsage | null;
};

export type OpenAIErrorType =
  | "invalid_request_error"
  | "authentication_error"
  | "permission_error"
  | "not_found_error"
  | "rate_limit_error"
  | "server_error"
  | "upstream_error";

export type OpenAIErrorBody = {
  error: { message: string; type: OpenAIErrorType; code: string | null; param: string | null };
};

// An error ready to send: the HTTP status the gateway answers with and the body in OpenAI's shape.
export type GatewayError = { status: number; body: OpenAIErrorBody };

export type Translation<T> = { ok: true; value: T } | { ok: false; error: GatewayError };

// One step of a translated stream: a chunk to write, an error to write (then stop), or the end.
export type StreamOutput =
  { type: "chunk"; chunk: ChatChunk } | { type: "error"; error: GatewayError } | { type: "done" };

// Fields every transform back to OpenAI needs but no pure function can invent on its own.
export type ResponseContext = {
  // Unix seconds for `created`; passed in so transforms stay deterministic.
  created: number;
  // The model name the caller used (e.g. "anthropic-prod/claude-sonnet-4-5"), echoed back.
  model: string;
  // Whether the caller asked for stream_options.include_usage: only then is the usage chunk written.
  includeUsage?: boolean;
  // Makes tool call ids for providers that send none (Gemini); defaults to a random id.
  newToolCallId?: () => string;
};
