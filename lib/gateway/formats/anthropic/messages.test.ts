import { describe, expect, it } from "vitest";
import { parseChatRequest } from "../openai/parse-request";
import { toAnthropicConversation } from "./messages";

function translate(body: { messages: unknown[] }) {
  const parsed = parseChatRequest({ model: "anthropic-prod/claude-sonnet-4-5", ...body });
  if (!parsed.ok) throw new Error(parsed.error.body.error.message);
  const result = toAnthropicConversation(parsed.value.messages);
  if (!result.ok) throw new Error(result.error.body.error.message);
  return { request: result.value };
}

describe("toAnthropicConversation", () => {
  it("lifts system and developer messages out and merges consecutive same-role turns", () => {
    const { request } = translate({
      messages: [
        { role: "system", content: "Be brief." },
        { role: "user", content: "One" },
        { role: "developer", content: [{ type: "text", text: "Use metric." }] },
        { role: "user", content: [{ type: "text", text: "Two" }] },
        { role: "assistant", content: "" },
        { role: "assistant", content: "Sure" },
      ],
    });
    expect(request.system).toEqual([
      { type: "text", text: "Be brief." },
      { type: "text", text: "Use metric." },
    ]);
    expect(request.messages).toEqual([
      {
        role: "user",
        content: [
          { type: "text", text: "One" },
          { type: "text", text: "Two" },
        ],
      },
      { role: "assistant", content: [{ type: "text", text: "Sure" }] },
    ]);
  });

  it("turns tool calls into tool_use blocks and tool messages into one user turn of tool_result blocks", () => {
    const { request } = translate({
      messages: [
        { role: "user", content: "Weather and time in Paris?" },
        {
          role: "assistant",
          content: "Checking.",
          tool_calls: [
            { id: "toolu_1", type: "function", function: { name: "get_weather", arguments: '{"location":"Paris"}' } },
            { id: "toolu_2", type: "function", function: { name: "get_time", arguments: "" } },
          ],
        },
        { role: "tool", tool_call_id: "toolu_1", content: "18C" },
        { role: "tool", tool_call_id: "toolu_2", content: [{ type: "text", text: "14:00" }] },
        { role: "user", content: "Thanks" },
      ],
    });
    expect(request.messages[1]).toEqual({
      role: "assistant",
      content: [
        { type: "text", text: "Checking." },
        { type: "tool_use", id: "toolu_1", name: "get_weather", input: { location: "Paris" } },
        { type: "tool_use", id: "toolu_2", name: "get_time", input: {} },
      ],
    });
    expect(request.messages[2]).toEqual({
      role: "user",
      content: [
        { type: "tool_result", tool_use_id: "toolu_1", content: "18C" },
        { type: "tool_result", tool_use_id: "toolu_2", content: "14:00" },
        { type: "text", text: "Thanks" },
      ],
    });
  });

  it("puts tool results first when a tool message follows user text in the same turn", () => {
    const { request } = translate({
      messages: [
        {
          role: "assistant",
          content: null,
          tool_calls: [{ id: "t1", type: "function", function: { name: "f", arguments: "{}" } }],
        },
        { role: "user", content: "note" },
        { role: "tool", tool_call_id: "t1", content: "done" },
      ],
    });
    expect(request.messages[1]?.content.map((block) => block.type)).toEqual(["tool_result", "text"]);
  });

  it("sends images as base64 or url sources", () => {
    const { request } = translate({
      messages: [
        {
          role: "user",
          content: [
            { type: "image_url", image_url: { url: "data:image/png;base64,iVBORw0KGgo=" } },
            { type: "image_url", image_url: { url: "https://example.com/cat.jpg" } },
          ],
        },
      ],
    });
    expect(request.messages[0]?.content).toEqual([
      { type: "image", source: { type: "base64", media_type: "image/png", data: "iVBORw0KGgo=" } },
      { type: "image", source: { type: "url", url: "https://example.com/cat.jpg" } },
    ]);
  });
});
