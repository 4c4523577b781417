import { estimateTokens, fakeEmbedding, float32Base64 } from "../http-utils";

// Embeddings in OpenAI's format (`POST …/embeddings`, also Azure, Mistral, Ollama's /v1) and
// Gemini's `:batchEmbedContents`. Vectors are deterministic (fakeEmbedding of each input's text).

type Json = Record<string, unknown>;

const DEFAULT_DIMENSIONS = 8;

function dimensionsOf(value: unknown): number {
  return typeof value === "number" && Number.isInteger(value) && value >= 1 && value <= 4096
    ? value
    : DEFAULT_DIMENSIONS;
}

/** OpenAI `input`: a string, strings, one token array or token arrays; null when none of those. */
export function embeddingInputs(input: unknown): (string | number[])[] | null {
  if (typeof input === "string") return [input];
  if (!Array.isArray(input) || input.length === 0) return null;
  if (input.every((item) => typeof item === "number")) return [input as number[]];
  if (
    input.every((item) => typeof item === "string" || (Array.isArray(item) && item.every((n) => typeof n === "number")))
  )
    return input as (string | number[])[];
  return null;
}

/** Input tokens: ceil(characters / 4) per string, one per token of a token array. */
export function embeddingTokens(inputs: readonly (string | number[])[]): number {
  return inputs.reduce<number>((sum, item) => sum + (typeof item === "string" ? estimateTokens(item) : item.length), 0);
}

export function openaiEmbeddings(body: Json, model: string, omitUsage: boolean): unknown {
  const inputs = embeddingInputs(body.input) ?? [];
  const dimensions = dimensionsOf(body.dimensions);
  const tokens = embeddingTokens(inputs);
  return {
    object: "list",
    data: inputs.map((item, index) => {
      const values = fakeEmbedding(typeof item === "string" ? item : JSON.stringify(item), dimensions);
      return {
        object: "embedding",
        index,
        embedding: body.encoding_format === "base64" ? float32Base64(values) : values,
      };
    }),
    model,
    ...(omitUsage ? {} : { usage: { prompt_tokens: tokens, total_tokens: tokens } }),
  };
}

/** Gemini batchEmbedContents: one vector per request, no usage (as the real API). */
export function geminiEmbeddings(body: Json): unknown {
  const requests = Array.isArray(body.requests) ? (body.requests as unknown[]) : [];
  return {
    embeddings: requests.map((request) => {
      const value = request && typeof request === "object" ? (request as Json) : {};
      const content = value.content && typeof value.content === "object" ? (value.content as Json) : {};
      const parts = Array.isArray(content.parts) ? (content.parts as Json[]) : [];
      const text = parts.map((part) => (typeof part?.text === "string" ? part.text : "")).join("");
      return { values: fakeEmbedding(text, dimensionsOf(value.outputDimensionality)) };
    }),
  };
}
