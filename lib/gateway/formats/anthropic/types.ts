// Anthropic Messages API wire shapes, the subset the OpenAI translation reads or writes
// (https://docs.anthropic.com/en/api/messages).

export type AnthropicTextBlock = { type: "text"; text: string };
export type AnthropicImageBlock = {
  type: "image";
  source: { type: "base64"; media_type: string; data: string } | { type: "url"; url: string };
};
export type AnthropicToolUseBlock = { type: "tool_use"; id: string; name: string; input: unknown };
export type AnthropicToolResultBlock = {
  type: "tool_result";
  tool_use_id: string;
  content: string | AnthropicTextBlock[];
};

export type AnthropicRequestBlock =
  AnthropicTextBlock | AnthropicImageBlock | AnthropicToolUseBlock | AnthropicToolResultBlock;

export type AnthropicMessage = { role: "user" | "assistant"; content: AnthropicRequestBlock[] };

export type AnthropicTool = { name: string; description?: string; input_schema: Record<string, unknown> };

export type AnthropicToolChoice =
  | { type: "auto" | "any"; disable_parallel_tool_use?: boolean }
  | { type: "tool"; name: string; disable_parallel_tool_use?: boolean }
  | { type: "none" };

export type AnthropicRequest = {
  model: string;
  max_tokens: number;
  messages: AnthropicMessage[];
  system?: AnthropicTextBlock[];
  tools?: AnthropicTool[];
  tool_choice?: AnthropicToolChoice;
  temperature?: number;
  top_p?: number;
  stop_sequences?: string[];
  stream?: boolean;
  metadata?: { user_id: string };
};

export type AnthropicStopReason =
  "end_turn" | "max_tokens" | "stop_sequence" | "tool_use" | "pause_turn" | "refusal" | "model_context_window_exceeded";

export type AnthropicUsage = {
  input_tokens?: number | null;
  output_tokens?: number | null;
  cache_creation_input_tokens?: number | null;
  cache_read_input_tokens?: number | null;
};

// Response content may hold block types this layer does not translate (thinking, server tools);
// those are skipped, so the type stays open.
export type AnthropicResponseBlock = AnthropicTextBlock | AnthropicToolUseBlock | { type: string };

export type AnthropicResponse = {
  id: string;
  type: "message";
  role: "assistant";
  model: string;
  content: AnthropicResponseBlock[];
  stop_reason: AnthropicStopReason | null;
  stop_sequence: string | null;
  usage: AnthropicUsage;
};

export type AnthropicErrorBody = { type: "error"; error: { type: string; message: string } };

// What the response and stream transforms must know about how the request was built.
export type AnthropicRequestContext = {
  // Set when response_format was emulated with a forced tool: that tool's input is the answer text.
  jsonToolName?: string;
};
