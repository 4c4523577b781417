// Folds a translated OpenAI chunk stream back into one message per choice, the way the openai SDK's
// stream helpers do, so stream tests can compare against the non-streamed translation.
import type { ChatUsage, FinishReason, ResponseToolCall, StreamOutput } from "../openai/types";

export type AccumulatedChoice = { content: string; toolCalls: ResponseToolCall[]; finishReason: FinishReason | null };

export function accumulate(outputs: StreamOutput[]): { choices: AccumulatedChoice[]; usage: ChatUsage | null } {
  const choices: AccumulatedChoice[] = [];
  let usage: ChatUsage | null = null;
  for (const output of outputs) {
    if (output.type !== "chunk") continue;
    if (output.chunk.usage) usage = output.chunk.usage;
    for (const choice of output.chunk.choices) {
      const into = (choices[choice.index] ??= { content: "", toolCalls: [], finishReason: null });
      into.content += choice.delta.content ?? "";
      for (const call of choice.delta.tool_calls ?? []) {
        const existing = (into.toolCalls[call.index] ??= {
          id: "",
          type: "function",
          function: { name: "", arguments: "" },
        });
        if (call.id) existing.id = call.id;
        if (call.function.name) existing.function.name = call.function.name;
        existing.function.arguments += call.function.arguments;
      }
      if (choice.finish_reason) into.finishReason = choice.finish_reason;
    }
  }
  return { choices, usage };
}
