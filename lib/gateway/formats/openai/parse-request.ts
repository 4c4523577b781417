// Turns whatever a caller sent into a typed chat request or a 400 that says exactly what is wrong,
// in OpenAI's error shape with `param` pointing at the field, as OpenAI itself does. Never throws.
import type { z } from "zod";
import { invalidRequest, safeJsonParse } from "./errors";
import { chatRequestSchema, type ChatRequest } from "./request-schema";
import type { Translation } from "./types";

const MAX_REPORTED_ISSUES = 3;

function pathText(path: readonly PropertyKey[]): string {
  let out = "";
  for (const segment of path) {
    if (typeof segment === "number") out += `[${segment}]`;
    else out += out ? `.${String(segment)}` : String(segment);
  }
  return out;
}

function describeIssues(issues: readonly z.core.$ZodIssue[]): { message: string; param: string | null } {
  const shown = issues.slice(0, MAX_REPORTED_ISSUES).map((issue) => {
    const where = pathText(issue.path);
    return where ? `${where}: ${issue.message}` : issue.message;
  });
  const more = issues.length > MAX_REPORTED_ISSUES ? ` (and ${issues.length - MAX_REPORTED_ISSUES} more)` : "";
  const first = issues[0];
  return { message: `Invalid request: ${shown.join("; ")}${more}`, param: first ? pathText(first.path) || null : null };
}

// Checks that need more than one field at a time; kept outside zod so no refinement can throw.
function crossFieldProblem(request: ChatRequest): { message: string; param: string } | null {
  if (request.stream_options && !request.stream) {
    return { message: "stream_options is only allowed when stream is true", param: "stream_options" };
  }
  if (request.tool_choice !== undefined && request.tool_choice !== "none" && !request.tools?.length) {
    return { message: "tool_choice needs a non-empty tools list", param: "tool_choice" };
  }
  const toolNames = new Set(request.tools?.map((tool) => tool.function.name));
  if (typeof request.tool_choice === "object" && !toolNames.has(request.tool_choice.function.name)) {
    return {
      message: `tool_choice names "${request.tool_choice.function.name}", which is not in tools`,
      param: "tool_choice",
    };
  }
  if (toolNames.size !== (request.tools?.length ?? 0)) {
    return { message: "tool names must be unique", param: "tools" };
  }
  return null;
}

export function parseChatRequest(input: unknown): Translation<ChatRequest> {
  const parsed = chatRequestSchema.safeParse(input);
  if (!parsed.success) {
    const { message, param } = describeIssues(parsed.error.issues);
    return { ok: false, error: invalidRequest(message, param) };
  }
  const problem = crossFieldProblem(parsed.data);
  if (problem) return { ok: false, error: invalidRequest(problem.message, problem.param) };
  return { ok: true, value: parsed.data };
}

export function parseChatRequestJson(body: string): Translation<ChatRequest> {
  const json = safeJsonParse(body);
  if (!json.ok) return { ok: false, error: invalidRequest("Request body is not valid JSON", null, "invalid_json") };
  return parseChatRequest(json.value);
}

// The output cap the caller asked for: the newer field wins, as it does at OpenAI.
export function requestedMaxTokens(request: ChatRequest): number | undefined {
  return request.max_completion_tokens ?? request.max_tokens ?? undefined;
}

export function stopSequences(request: ChatRequest): string[] | undefined {
  if (request.stop === undefined || request.stop === null) return undefined;
  const list = typeof request.stop === "string" ? [request.stop] : request.stop;
  return list.length ? list : undefined;
}
