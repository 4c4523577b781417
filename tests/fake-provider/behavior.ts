// What the fake provider should do with one request. Behaviours are read from the
// `x-fake-behavior` header, the API key, a `[[fake:...]]` marker in the prompt and the model id,
// so a test can steer any client, including ones that cannot set headers.

export type FakeStatus = 401 | 403 | 404 | 429 | 500 | 502 | 503 | "quota";

export type FakeBehavior = {
  status?: FakeStatus;
  // Fail only the first N requests of this key on this route, then answer normally.
  failTimes?: number;
  retryAfter?: string;
  // Delay before the first content token (streaming) or before the whole answer.
  slowMs: number;
  // Delay between streamed tokens.
  dripMs: number;
  // Never answer at all.
  hang: boolean;
  // Send the headers and the first token, then go silent.
  stall: boolean;
  // Send the headers and the first token, then destroy the socket.
  close: boolean;
  // Destroy the socket before any byte of the answer.
  reset: boolean;
  malformed: boolean;
  // OpenAI-format answers and streams carry no usage (the gateway must count tokens itself).
  noUsage: boolean;
  // Every error message carries the key it was called with, to prove callers never see it.
  echoKey: boolean;
};

const DEFAULT_DRIP_MS = 5;

function number(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const parsed = Number(text);
  return Number.isFinite(parsed) ? parsed : undefined;
}

export function parseBehavior(sources: readonly (string | undefined)[]): FakeBehavior {
  const text = sources
    .filter((s): s is string => Boolean(s))
    .join(" ")
    .toLowerCase();
  const behavior: FakeBehavior = {
    slowMs: number(/\bslow-(\d+)/.exec(text)?.[1]) ?? 0,
    dripMs: number(/\bdrip-(\d+)/.exec(text)?.[1]) ?? DEFAULT_DRIP_MS,
    hang: /\bhang\b/.test(text),
    stall: /\bstall\b/.test(text),
    close: /\bclose\b/.test(text),
    reset: /\breset\b/.test(text),
    malformed: /\bmalformed\b/.test(text),
    noUsage: /\bno-usage\b/.test(text),
    echoKey: /\becho-key\b/.test(text),
  };
  const retryAfter = /\bretry-after-([\w:]+)/.exec(text)?.[1];
  if (retryAfter) behavior.retryAfter = retryAfter;
  const status = /(?:^|[\s,;+_-])(401|403|404|429|500|502|503|quota)(?:x(\d+))?(?=$|[\s,;+_-])/.exec(text);
  if (status?.[1]) {
    behavior.status = status[1] === "quota" ? "quota" : (Number(status[1]) as FakeStatus);
    const times = number(status[2]);
    if (times !== undefined) behavior.failTimes = times;
  }
  return behavior;
}

// Test keys: `sk-fake...` and `fake-...` are accepted (a `fake-` key may carry a behaviour such as
// `fake-429x2`); anything else is refused like a wrong key.
export function isAcceptedKey(key: string | undefined): boolean {
  return Boolean(key && (key.startsWith("sk-fake") || key.startsWith("fake-")));
}

export function behaviorSourceOfKey(key: string | undefined): string | undefined {
  return key && key.includes("fake") ? key : undefined;
}

export function promptMarkers(prompt: string): string | undefined {
  const markers = [...prompt.matchAll(/\[\[fake:([^\]]*)\]\]/gi)].map((m) => m[1]);
  return markers.length > 0 ? markers.join(" ") : undefined;
}

export function modelMarkers(model: string | undefined): string | undefined {
  return model && model.includes("fake-") ? model.slice(model.indexOf("fake-") + 5) : undefined;
}

// The behaviour as tokens, for the request log (the raw sources may hold the key).
export function describeBehavior(behavior: FakeBehavior): string {
  const tokens: string[] = [];
  if (behavior.status)
    tokens.push(`${behavior.status}${behavior.failTimes !== undefined ? `x${behavior.failTimes}` : ""}`);
  if (behavior.retryAfter) tokens.push(`retry-after-${behavior.retryAfter}`);
  if (behavior.slowMs) tokens.push(`slow-${behavior.slowMs}`);
  for (const flag of ["hang", "stall", "close", "reset", "malformed"] as const) if (behavior[flag]) tokens.push(flag);
  if (behavior.noUsage) tokens.push("no-usage");
  if (behavior.echoKey) tokens.push("echo-key");
  return tokens.join(" ");
}
