// Synthetic usage for the benchmark and the demo seed: a deterministic PRNG, a small catalog and
// records spread evenly over a time range in arrival order (as a live system would receive them).

export function prng(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export type SyntheticModel = {
  modelId: string;
  medianMs: number;
  /** The gateway reserves budget for this many output tokens when a request sets no max_tokens. */
  maxOutputTokens?: number;
  input: string | null;
  output: string | null;
  cached: string | null;
};
export type SyntheticProvider = {
  name: string;
  kind: string;
  baseUrl: string;
  models: SyntheticModel[];
  errorRate: number;
};

export const SYNTHETIC_CATALOG: SyntheticProvider[] = [
  {
    name: "OpenAI",
    kind: "openai",
    baseUrl: "https://api.openai.com/v1",
    errorRate: 0.01,
    models: [
      { modelId: "gpt-4o", maxOutputTokens: 16384, medianMs: 900, input: "2.5", output: "10", cached: "1.25" },
      { modelId: "gpt-4o-mini", maxOutputTokens: 16384, medianMs: 450, input: "0.15", output: "0.6", cached: "0.075" },
      { modelId: "o3-mini", maxOutputTokens: 100000, medianMs: 2600, input: "1.1", output: "4.4", cached: "0.55" },
    ],
  },
  {
    name: "Anthropic",
    kind: "anthropic",
    baseUrl: "https://api.anthropic.com",
    errorRate: 0.015,
    models: [
      { modelId: "claude-sonnet-4", maxOutputTokens: 64000, medianMs: 1100, input: "3", output: "15", cached: "0.3" },
      { modelId: "claude-haiku-3.5", maxOutputTokens: 8192, medianMs: 500, input: "0.8", output: "4", cached: "0.08" },
    ],
  },
  {
    name: "Gemini",
    kind: "gemini",
    baseUrl: "https://generativelanguage.googleapis.com",
    errorRate: 0.02,
    models: [
      { modelId: "gemini-2.5-flash", maxOutputTokens: 65536, medianMs: 600, input: "0.3", output: "2.5", cached: null },
      { modelId: "gemini-2.5-pro", maxOutputTokens: 65536, medianMs: 1800, input: "1.25", output: "10", cached: null },
    ],
  },
  {
    name: "Mistral",
    kind: "mistral",
    baseUrl: "https://api.mistral.ai/v1",
    errorRate: 0.01,
    models: [
      { modelId: "mistral-large", medianMs: 1000, input: "2", output: "6", cached: null },
      { modelId: "mistral-small", medianMs: 380, input: "0.2", output: "0.6", cached: null },
    ],
  },
  {
    name: "Groq",
    kind: "groq",
    baseUrl: "https://api.groq.com/openai/v1",
    errorRate: 0.03,
    models: [
      { modelId: "llama-3.3-70b", maxOutputTokens: 32768, medianMs: 250, input: "0.59", output: "0.79", cached: null },
      // Deliberately without a price: its usage shows as "unpriced", never $0.
      { modelId: "qwen-qwq-32b", medianMs: 700, input: null, output: null, cached: null },
    ],
  },
];

export const SYNTHETIC_TAGS = ["checkout", "search", "support-bot"];
const ERROR_CLASSES = ["rate_limit", "rate_limit", "rate_limit", "timeout", "server_error", "bad_request"];

/** Standard normal via Box-Muller. */
function gaussian(random: () => number): number {
  return Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
}

export type WireRecord = Record<string, string | number | null>;

/** Records [start, start+count) of `total` spread over [from, to), in time order. */
export function syntheticRecords(
  start: number,
  count: number,
  total: number,
  from: Date,
  to: Date,
  seed = 42,
  prefix = "bench",
): WireRecord[] {
  const random = prng(seed * 1_000_003 + start);
  const span = to.getTime() - from.getTime();
  const models = SYNTHETIC_CATALOG.flatMap((provider) => provider.models.map((model) => ({ provider, model })));
  const records: WireRecord[] = [];
  for (let n = start; n < start + count && n < total; n += 1) {
    const { provider, model } = models[Math.floor(random() * models.length)]!;
    const latency = Math.max(1, Math.round(model.medianMs * Math.exp(0.45 * gaussian(random))));
    const failed = random() < provider.errorRate;
    const input = Math.round(200 + random() * 3000);
    records.push({
      id: `${prefix}-${n}`,
      occurredAt: new Date(from.getTime() + Math.floor(((n + random()) * span) / total)).toISOString(),
      provider: provider.name,
      model: model.modelId,
      tag: SYNTHETIC_TAGS[Math.floor(random() * SYNTHETIC_TAGS.length)]!,
      inputTokens: input,
      cachedInputTokens: random() < 0.3 ? Math.floor(input * 0.5) : 0,
      outputTokens: failed ? 0 : Math.round(50 + random() * 800),
      latencyMs: latency,
      ttftMs: failed ? null : Math.max(1, Math.round(latency * (0.15 + random() * 0.2))),
      status: failed ? "error" : "ok",
      errorClass: failed ? ERROR_CLASSES[Math.floor(random() * ERROR_CLASSES.length)]! : null,
      httpStatus: failed ? 429 : 200,
    });
  }
  return records;
}
