import type { ChatReply } from "../http-utils";

export type FakeErrorKind = "auth" | "rate_limit" | "quota" | "model_not_found" | "server" | "bad_request";

// One wire format of the fake: the JSON bodies and stream frames a real provider of that format
// sends. The server decides when to send what (delays, failures); the format decides the bytes.
export type FakeWireFormat = {
  name: "openai" | "anthropic" | "gemini" | "ollama";
  models(): unknown;
  error(status: number, kind: FakeErrorKind, message: string): unknown;
  completion(reply: ChatReply): unknown;
  streamContentType: string;
  streamStart(reply: ChatReply): string[];
  streamDelta(reply: ChatReply, text: string, index: number): string[];
  streamEnd(reply: ChatReply): string[];
  // A frame that is syntactically broken for this format, for the `malformed` behaviour.
  malformedFrame: string;
};

export const FAKE_MODELS = [
  { id: "fake-small", displayName: "Fake Small", contextWindow: 8192 },
  { id: "fake-large", displayName: "Fake Large", contextWindow: 128000 },
];

export const sse = (data: unknown) => `data: ${JSON.stringify(data)}\n\n`;
export const sseEvent = (event: string, data: unknown) => `event: ${event}\ndata: ${JSON.stringify(data)}\n\n`;
