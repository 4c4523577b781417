// Recorded-shape Anthropic Messages API bodies and streams, written after the public API reference
// (field order, ids and the ping/content_block_stop events as Anthropic sends them).

export const TEXT_RESPONSE = {
  id: "msg_01XFDUDYJgAACzvnptvVoYEL",
  type: "message",
  role: "assistant",
  model: "claude-sonnet-4-5-20250929",
  content: [{ type: "text", text: "Hello! How can I help you today?" }],
  stop_reason: "end_turn",
  stop_sequence: null,
  usage: {
    input_tokens: 12,
    cache_creation_input_tokens: 100,
    cache_read_input_tokens: 2048,
    output_tokens: 10,
    service_tier: "standard",
  },
};

export const TOOL_USE_RESPONSE = {
  id: "msg_01Aq9w938a90dw8q",
  type: "message",
  role: "assistant",
  model: "claude-sonnet-4-5-20250929",
  content: [
    { type: "thinking", thinking: "The user wants the weather.", signature: "EqQBCgIYAh..." },
    { type: "text", text: "I'll check the weather in Paris." },
    {
      type: "tool_use",
      id: "toolu_01A09q90qw90lq917835lq9",
      name: "get_weather",
      input: { location: "Paris, FR", unit: "celsius" },
    },
    { type: "tool_use", id: "toolu_01B19q90qw90lq917835lq0", name: "get_time", input: {} },
  ],
  stop_reason: "tool_use",
  stop_sequence: null,
  usage: { input_tokens: 384, cache_creation_input_tokens: 0, cache_read_input_tokens: 0, output_tokens: 92 },
};

export const JSON_TOOL_RESPONSE = {
  id: "msg_01JsonAnswer",
  type: "message",
  role: "assistant",
  model: "claude-sonnet-4-5-20250929",
  content: [
    { type: "tool_use", id: "toolu_01Json", name: "json_response", input: { city: "Paris", population: 2102650 } },
  ],
  stop_reason: "tool_use",
  stop_sequence: null,
  usage: { input_tokens: 51, output_tokens: 30 },
};

export const OVERLOADED_ERROR = { type: "error", error: { type: "overloaded_error", message: "Overloaded" } };
export const INVALID_REQUEST_ERROR = {
  type: "error",
  error: { type: "invalid_request_error", message: "messages: text content blocks must be non-empty" },
};

const event = (name: string, data: unknown) => `event: ${name}\ndata: ${JSON.stringify(data)}\n\n`;

const messageStart = (id: string, usage: Record<string, number>) =>
  event("message_start", {
    type: "message_start",
    message: {
      id,
      type: "message",
      role: "assistant",
      content: [],
      model: "claude-sonnet-4-5-20250929",
      stop_reason: null,
      stop_sequence: null,
      usage,
    },
  });

export const TEXT_STREAM =
  messageStart("msg_01Stream", {
    input_tokens: 25,
    cache_creation_input_tokens: 0,
    cache_read_input_tokens: 1000,
    output_tokens: 1,
  }) +
  event("content_block_start", { type: "content_block_start", index: 0, content_block: { type: "text", text: "" } }) +
  event("ping", { type: "ping" }) +
  event("content_block_delta", {
    type: "content_block_delta",
    index: 0,
    delta: { type: "text_delta", text: "Hello" },
  }) +
  event("content_block_delta", {
    type: "content_block_delta",
    index: 0,
    delta: { type: "text_delta", text: ", wörld 🌍!" },
  }) +
  event("content_block_stop", { type: "content_block_stop", index: 0 }) +
  event("message_delta", {
    type: "message_delta",
    delta: { stop_reason: "end_turn", stop_sequence: null },
    usage: { output_tokens: 15 },
  }) +
  event("message_stop", { type: "message_stop" });

export const TOOL_STREAM =
  messageStart("msg_01ToolStream", { input_tokens: 472, output_tokens: 2 }) +
  event("content_block_start", {
    type: "content_block_start",
    index: 0,
    content_block: { type: "thinking", thinking: "" },
  }) +
  event("content_block_delta", {
    type: "content_block_delta",
    index: 0,
    delta: { type: "thinking_delta", thinking: "Need weather." },
  }) +
  event("content_block_stop", { type: "content_block_stop", index: 0 }) +
  event("content_block_start", { type: "content_block_start", index: 1, content_block: { type: "text", text: "" } }) +
  event("content_block_delta", {
    type: "content_block_delta",
    index: 1,
    delta: { type: "text_delta", text: "Checking." },
  }) +
  event("content_block_stop", { type: "content_block_stop", index: 1 }) +
  event("content_block_start", {
    type: "content_block_start",
    index: 2,
    content_block: { type: "tool_use", id: "toolu_01T1x1fJ34qAmk2tNTrN7Up6", name: "get_weather", input: {} },
  }) +
  event("content_block_delta", {
    type: "content_block_delta",
    index: 2,
    delta: { type: "input_json_delta", partial_json: "" },
  }) +
  event("content_block_delta", {
    type: "content_block_delta",
    index: 2,
    delta: { type: "input_json_delta", partial_json: '{"location": "San' },
  }) +
  event("content_block_delta", {
    type: "content_block_delta",
    index: 2,
    delta: { type: "input_json_delta", partial_json: ' Francisco, CA"}' },
  }) +
  event("content_block_stop", { type: "content_block_stop", index: 2 }) +
  event("message_delta", {
    type: "message_delta",
    delta: { stop_reason: "tool_use", stop_sequence: null },
    usage: { output_tokens: 89 },
  }) +
  event("message_stop", { type: "message_stop" });

export const JSON_TOOL_STREAM =
  messageStart("msg_01JsonStream", { input_tokens: 40, output_tokens: 1 }) +
  event("content_block_start", {
    type: "content_block_start",
    index: 0,
    content_block: { type: "tool_use", id: "toolu_01J", name: "json_response", input: {} },
  }) +
  event("content_block_delta", {
    type: "content_block_delta",
    index: 0,
    delta: { type: "input_json_delta", partial_json: '{"ok":' },
  }) +
  event("content_block_delta", {
    type: "content_block_delta",
    index: 0,
    delta: { type: "input_json_delta", partial_json: "true}" },
  }) +
  event("content_block_stop", { type: "content_block_stop", index: 0 }) +
  event("message_delta", {
    type: "message_delta",
    delta: { stop_reason: "tool_use", stop_sequence: null },
    usage: { output_tokens: 9 },
  }) +
  event("message_stop", { type: "message_stop" });

export const ERROR_STREAM =
  messageStart("msg_01Err", { input_tokens: 10, output_tokens: 1 }) +
  event("content_block_start", { type: "content_block_start", index: 0, content_block: { type: "text", text: "" } }) +
  event("content_block_delta", { type: "content_block_delta", index: 0, delta: { type: "text_delta", text: "Par" } }) +
  event("error", OVERLOADED_ERROR);
