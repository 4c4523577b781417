import {
  APICallError,
  type LanguageModelV3,
  type LanguageModelV3CallOptions,
  type LanguageModelV3Prompt,
  type LanguageModelV3StreamPart,
} from "@ai-sdk/provider";

// Ollama's native /api/chat as an AI SDK model, so it runs through the same streamText path as
// every other kind. Native rather than Ollama's OpenAI-compatible /v1: /api/chat exists on every
// Ollama version and reports prompt_eval_count/eval_count in the final line of every stream.

type OllamaSettings = { root: string; fetch: typeof fetch; headers?: Record<string, string> };

type OllamaLine = {
  message?: { content?: string };
  done?: boolean;
  done_reason?: string;
  prompt_eval_count?: number;
  eval_count?: number;
  error?: string;
};

function toOllamaMessages(prompt: LanguageModelV3Prompt) {
  return prompt.map((message) => ({
    role: message.role,
    content:
      typeof message.content === "string"
        ? message.content
        : message.content.map((part) => ("text" in part && typeof part.text === "string" ? part.text : "")).join(""),
  }));
}

function requestBody(modelId: string, options: LanguageModelV3CallOptions) {
  const settings: Record<string, number> = {};
  if (options.maxOutputTokens !== undefined) settings.num_predict = options.maxOutputTokens;
  if (options.temperature !== undefined) settings.temperature = options.temperature;
  if (options.topP !== undefined) settings.top_p = options.topP;
  if (options.topK !== undefined) settings.top_k = options.topK;
  if (options.seed !== undefined) settings.seed = options.seed;
  return { model: modelId, messages: toOllamaMessages(options.prompt), stream: true, options: settings };
}

// Splits the NDJSON body into parsed lines; a line that is not JSON becomes an error part.
function ndjsonLines(): TransformStream<string, OllamaLine | Error> {
  let buffer = "";
  const parse = (line: string, controller: TransformStreamDefaultController<OllamaLine | Error>) => {
    if (!line.trim()) return;
    try {
      controller.enqueue(JSON.parse(line) as OllamaLine);
    } catch (error) {
      controller.enqueue(error instanceof Error ? error : new SyntaxError("Invalid JSON line"));
    }
  };
  return new TransformStream({
    transform(chunk, controller) {
      buffer += chunk;
      const lines = buffer.split("\n");
      buffer = lines.pop() ?? "";
      for (const line of lines) parse(line, controller);
    },
    flush(controller) {
      parse(buffer, controller);
    },
  });
}

function toStreamParts(): TransformStream<OllamaLine | Error, LanguageModelV3StreamPart> {
  let finished = false;
  return new TransformStream({
    start(controller) {
      controller.enqueue({ type: "stream-start", warnings: [] });
      controller.enqueue({ type: "text-start", id: "0" });
    },
    transform(line, controller) {
      if (line instanceof Error || line.error) {
        controller.enqueue({ type: "error", error: line instanceof Error ? line : new Error(line.error) });
        return;
      }
      if (line.message?.content) controller.enqueue({ type: "text-delta", id: "0", delta: line.message.content });
      if (!line.done) return;
      finished = true;
      controller.enqueue({ type: "text-end", id: "0" });
      controller.enqueue({
        type: "finish",
        finishReason: { unified: line.done_reason === "length" ? "length" : "stop", raw: line.done_reason },
        usage: {
          inputTokens: {
            total: line.prompt_eval_count,
            noCache: line.prompt_eval_count,
            cacheRead: undefined,
            cacheWrite: undefined,
          },
          outputTokens: { total: line.eval_count, text: line.eval_count, reasoning: undefined },
        },
      });
    },
    flush(controller) {
      if (!finished)
        controller.enqueue({ type: "error", error: new SyntaxError("The Ollama stream ended without a final line.") });
    },
  });
}

export function createOllamaModel(modelId: string, settings: OllamaSettings): LanguageModelV3 {
  const url = `${settings.root}/api/chat`;
  async function doStream(options: LanguageModelV3CallOptions) {
    const body = requestBody(modelId, options);
    const response = await settings.fetch(url, {
      method: "POST",
      headers: { "content-type": "application/json", ...settings.headers, ...options.headers },
      body: JSON.stringify(body),
      signal: options.abortSignal,
    });
    if (!response.ok || !response.body) {
      const responseBody = await response.text();
      throw new APICallError({
        message: responseBody || response.statusText,
        url,
        requestBodyValues: body,
        statusCode: response.status,
        responseHeaders: Object.fromEntries(response.headers),
        responseBody,
      });
    }
    const stream = response.body
      .pipeThrough(new TextDecoderStream())
      .pipeThrough(ndjsonLines())
      .pipeThrough(toStreamParts());
    return { stream, request: { body }, response: { headers: Object.fromEntries(response.headers) } };
  }

  return {
    specificationVersion: "v3",
    provider: "ollama.chat",
    modelId,
    supportedUrls: {},
    doStream,
    async doGenerate() {
      // Every call in this console streams (TTFT is measured); a non-streaming call is a bug.
      throw new Error("The Ollama adapter only streams; use streamText.");
    },
  };
}
