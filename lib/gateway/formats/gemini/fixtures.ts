// Recorded-shape Gemini API bodies and alt=sse streams, written after the public API reference
// (camelCase fields, usageMetadata on every stream chunk, CRLF event endings as Google sends them).

const MODEL_VERSION = "gemini-2.5-flash";

export const TEXT_RESPONSE = {
  candidates: [
    {
      content: {
        parts: [{ text: "Thinking about greetings.", thought: true }, { text: "Hello! How can I help?" }],
        role: "model",
      },
      finishReason: "STOP",
      index: 0,
    },
  ],
  usageMetadata: {
    promptTokenCount: 1200,
    candidatesTokenCount: 20,
    totalTokenCount: 1260,
    cachedContentTokenCount: 1000,
    thoughtsTokenCount: 40,
    promptTokensDetails: [{ modality: "TEXT", tokenCount: 1200 }],
  },
  modelVersion: MODEL_VERSION,
  responseId: "mGqXaKqPI8qFz7IPtPmJoAg",
};

export const FUNCTION_CALL_RESPONSE = {
  candidates: [
    {
      content: {
        parts: [
          { text: "Let me look that up." },
          {
            functionCall: { name: "get_weather", args: { location: "Paris", unit: "celsius" } },
            thoughtSignature: "CiQB0e2Kb...",
          },
          { functionCall: { name: "get_time", args: {} } },
        ],
        role: "model",
      },
      finishReason: "STOP",
      index: 0,
    },
  ],
  usageMetadata: { promptTokenCount: 85, candidatesTokenCount: 31, totalTokenCount: 116 },
  modelVersion: MODEL_VERSION,
  responseId: "fnCallResp01",
};

export const TWO_CANDIDATES_RESPONSE = {
  candidates: [
    { content: { parts: [{ text: "Second" }], role: "model" }, finishReason: "MAX_TOKENS", index: 1 },
    { content: { parts: [{ text: "First" }], role: "model" }, finishReason: "STOP", index: 0 },
  ],
  usageMetadata: { promptTokenCount: 5, candidatesTokenCount: 4, totalTokenCount: 9 },
  modelVersion: MODEL_VERSION,
  responseId: "twoCand01",
};

export const BLOCKED_PROMPT_RESPONSE = {
  promptFeedback: {
    blockReason: "SAFETY",
    safetyRatings: [{ category: "HARM_CATEGORY_DANGEROUS_CONTENT", probability: "HIGH" }],
  },
  usageMetadata: { promptTokenCount: 8, totalTokenCount: 8 },
  modelVersion: MODEL_VERSION,
  responseId: "blocked01",
};

export const API_KEY_INVALID_ERROR = {
  error: {
    code: 400,
    message: "API key not valid. Please pass a valid API key.",
    status: "INVALID_ARGUMENT",
    details: [
      { "@type": "type.googleapis.com/google.rpc.ErrorInfo", reason: "API_KEY_INVALID", domain: "googleapis.com" },
    ],
  },
};

export const QUOTA_ERROR = {
  error: { code: 429, message: "Resource has been exhausted (e.g. check quota).", status: "RESOURCE_EXHAUSTED" },
};

const event = (data: unknown) => `data: ${JSON.stringify(data)}\r\n\r\n`;
const chunk = (
  parts: unknown[],
  extra: Record<string, unknown> = {},
  usage: Record<string, number> = { promptTokenCount: 9, totalTokenCount: 9 },
) =>
  event({
    candidates: [{ content: { parts, role: "model" }, index: 0, ...extra }],
    usageMetadata: usage,
    modelVersion: MODEL_VERSION,
    responseId: "streamResp01",
  });

export const TEXT_STREAM =
  chunk([{ text: "Considering.", thought: true }]) +
  chunk([{ text: "Hello" }]) +
  chunk([{ text: ", wörld 🌍" }]) +
  chunk(
    [{ text: "!" }],
    { finishReason: "STOP" },
    {
      promptTokenCount: 9,
      candidatesTokenCount: 6,
      totalTokenCount: 27,
      thoughtsTokenCount: 12,
      cachedContentTokenCount: 4,
    },
  );

export const TOOL_STREAM =
  chunk([{ text: "Checking." }]) +
  chunk(
    [
      { functionCall: { name: "get_weather", args: { location: "San Francisco, CA" } } },
      { functionCall: { name: "get_time", args: {} } },
    ],
    { finishReason: "STOP" },
    {
      promptTokenCount: 60,
      candidatesTokenCount: 25,
      totalTokenCount: 85,
    },
  );

const candidate = (index: number, text: string, finishReason?: string) => ({
  content: { parts: [{ text }], role: "model" },
  index,
  ...(finishReason ? { finishReason } : {}),
});

export const TWO_CANDIDATES_STREAM =
  event({ candidates: [candidate(0, "A1"), candidate(1, "B1")], responseId: "multi01" }) +
  event({ candidates: [candidate(1, "B2", "MAX_TOKENS")], responseId: "multi01" }) +
  event({
    candidates: [candidate(0, "A2", "STOP")],
    usageMetadata: { promptTokenCount: 3, candidatesTokenCount: 8, totalTokenCount: 11 },
    responseId: "multi01",
  });

export const ERROR_STREAM =
  chunk([{ text: "Par" }]) +
  event({ error: { code: 503, message: "The model is overloaded. Please try again later.", status: "UNAVAILABLE" } });
