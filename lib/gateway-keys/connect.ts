// What the "Connect an application" page shows: where the gateway answers and code to paste. The
// gateway is a separate server (GATEWAY_PORT, default 3001) on the console's host unless
// GATEWAY_PUBLIC_URL names its public address (behind a proxy, another host, https).

export const DEFAULT_GATEWAY_PORT = 3001;
export const PLACEHOLDER_KEY = "pcgw-…";
export const PLACEHOLDER_MODEL = "provider-slug/model-id";

// A hostname, an IPv4 address or a bracketed IPv6 literal: anything else in Host is not used.
const SAFE_HOST = /^(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,62})(?:\.[A-Za-z0-9-]{1,63})*|\[[0-9A-Fa-f:.]+\])$/;

/** The host name from a Host header value ("console.example.com:3000" → "console.example.com"). */
export function hostnameOf(hostHeader: string | null | undefined): string {
  const value = (hostHeader ?? "").trim();
  const host = value.startsWith("[") ? value.slice(0, value.indexOf("]") + 1) : value.split(":")[0]!;
  return SAFE_HOST.test(host) ? host : "localhost";
}

function withoutTrailingSlashes(url: string): string {
  return url.replace(/\/+$/, "");
}

/** The base URL OpenAI-style clients use (ends in /v1). */
export function gatewayBaseUrl(options: {
  publicUrl?: string | undefined;
  gatewayPort?: string | undefined;
  hostHeader?: string | null;
}): string {
  const publicUrl = options.publicUrl?.trim();
  if (publicUrl) {
    const base = withoutTrailingSlashes(publicUrl);
    return base.endsWith("/v1") ? base : `${base}/v1`;
  }
  const port = /^\d{1,5}$/.test(options.gatewayPort ?? "") ? Number(options.gatewayPort) : DEFAULT_GATEWAY_PORT;
  return `http://${hostnameOf(options.hostHeader)}:${port}/v1`;
}

/** Anthropic's SDK appends /v1/messages itself, so it takes the base without /v1. */
export function anthropicBaseUrl(openAiBase: string): string {
  return openAiBase.replace(/\/v1$/, "");
}

export type Snippet = { id: string; label: string; language: string; code: string };

export function connectSnippets(base: string, model: string): Snippet[] {
  const json = JSON.stringify({ model, messages: [{ role: "user", content: "Hello" }] });
  return [
    {
      id: "curl",
      label: "curl",
      language: "shell",
      code: [
        `curl ${base}/chat/completions \\`,
        `  -H "Authorization: Bearer ${PLACEHOLDER_KEY}" \\`,
        `  -H "Content-Type: application/json" \\`,
        `  -d '${json}'`,
      ].join("\n"),
    },
    {
      id: "openai-node",
      label: "OpenAI SDK (Node)",
      language: "typescript",
      code: [
        `import OpenAI from "openai";`,
        ``,
        `const client = new OpenAI({ baseURL: "${base}", apiKey: "${PLACEHOLDER_KEY}" });`,
        `const completion = await client.chat.completions.create({`,
        `  model: "${model}",`,
        `  messages: [{ role: "user", content: "Hello" }],`,
        `});`,
        `console.log(completion.choices[0].message.content);`,
      ].join("\n"),
    },
    {
      id: "openai-python",
      label: "OpenAI SDK (Python)",
      language: "python",
      code: [
        `from openai import OpenAI`,
        ``,
        `client = OpenAI(base_url="${base}", api_key="${PLACEHOLDER_KEY}")`,
        `completion = client.chat.completions.create(`,
        `    model="${model}",`,
        `    messages=[{"role": "user", "content": "Hello"}],`,
        `)`,
        `print(completion.choices[0].message.content)`,
      ].join("\n"),
    },
    {
      id: "anthropic",
      label: "Anthropic SDK (Node)",
      language: "typescript",
      code: [
        `import Anthropic from "@anthropic-ai/sdk";`,
        ``,
        `// Anthropic's SDK adds /v1 itself: the base URL has none.`,
        `const client = new Anthropic({ baseURL: "${anthropicBaseUrl(base)}", apiKey: "${PLACEHOLDER_KEY}" });`,
        `const message = await client.messages.create({`,
        `  model: "${model}",`,
        `  max_tokens: 1024,`,
        `  messages: [{ role: "user", content: "Hello" }],`,
        `});`,
        `console.log(message.content);`,
      ].join("\n"),
    },
  ];
}
