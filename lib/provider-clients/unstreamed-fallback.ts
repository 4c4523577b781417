// Some OpenAI-compatible servers and mocks ignore `stream: true` and answer one JSON chat
// completion. The SDK would call that malformed; instead this fetch wrapper turns such an answer
// into the equivalent server-sent events (one content chunk, then usage, then [DONE]), so the
// call succeeds with the answer's text and tokens. TTFT then equals total latency, which is true
// for an unstreamed answer.

type ChatCompletion = {
  id?: string;
  model?: string;
  created?: number;
  choices?: { index?: number; message?: { role?: string; content?: string | null }; finish_reason?: string | null }[];
  usage?: unknown;
};

function requestedStream(init?: RequestInit): boolean {
  if (typeof init?.body !== "string") return false;
  try {
    return (JSON.parse(init.body) as { stream?: unknown }).stream === true;
  } catch {
    return false;
  }
}

export function completionAsSse(completion: ChatCompletion): string {
  const base = {
    id: completion.id ?? "chatcmpl-unstreamed",
    object: "chat.completion.chunk",
    created: completion.created ?? 0,
    model: completion.model ?? "",
  };
  const choice = completion.choices?.[0];
  const events = [
    {
      ...base,
      choices: [
        { index: 0, delta: { role: "assistant", content: choice?.message?.content ?? "" }, finish_reason: null },
      ],
    },
    { ...base, choices: [{ index: 0, delta: {}, finish_reason: choice?.finish_reason ?? "stop" }] },
    ...(completion.usage ? [{ ...base, choices: [], usage: completion.usage }] : []),
  ];
  return `${events.map((event) => `data: ${JSON.stringify(event)}\n\n`).join("")}data: [DONE]\n\n`;
}

export function withUnstreamedFallback(inner: typeof fetch): typeof fetch {
  const wrapped = async (input: RequestInfo | URL, init?: RequestInit): Promise<Response> => {
    const response = await inner(input, init);
    const type = response.headers.get("content-type") ?? "";
    if (!response.ok || !type.includes("application/json") || !requestedStream(init)) return response;
    const text = await response.text();
    let completion: ChatCompletion;
    try {
      completion = JSON.parse(text) as ChatCompletion;
    } catch {
      return new Response(text, { status: response.status, headers: response.headers });
    }
    if (!Array.isArray(completion.choices))
      return new Response(text, { status: response.status, headers: response.headers });
    return new Response(completionAsSse(completion), { status: 200, headers: { "content-type": "text/event-stream" } });
  };
  return wrapped as typeof fetch;
}
