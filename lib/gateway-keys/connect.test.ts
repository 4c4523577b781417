import { describe, expect, test } from "vitest";
import { anthropicBaseUrl, connectSnippets, gatewayBaseUrl, hostnameOf } from "@/lib/gateway-keys/connect";

describe("the gateway base URL", () => {
  test("GATEWAY_PUBLIC_URL wins, with /v1 added when it has none", () => {
    expect(gatewayBaseUrl({ publicUrl: "https://gw.example.com/v1", hostHeader: "c:3000" })).toBe(
      "https://gw.example.com/v1",
    );
    expect(gatewayBaseUrl({ publicUrl: "https://gw.example.com/", gatewayPort: "4000" })).toBe(
      "https://gw.example.com/v1",
    );
    expect(gatewayBaseUrl({ publicUrl: "https://example.com/llm/v1/" })).toBe("https://example.com/llm/v1");
  });

  test("otherwise the console request's host on GATEWAY_PORT, default 3001", () => {
    expect(gatewayBaseUrl({ hostHeader: "console.example.com:3000" })).toBe("http://console.example.com:3001/v1");
    expect(gatewayBaseUrl({ hostHeader: "10.1.2.3", gatewayPort: "8080" })).toBe("http://10.1.2.3:8080/v1");
    expect(gatewayBaseUrl({ hostHeader: "[::1]:3000", gatewayPort: "" })).toBe("http://[::1]:3001/v1");
    expect(gatewayBaseUrl({ hostHeader: "localhost:3000", gatewayPort: "nope" })).toBe("http://localhost:3001/v1");
  });

  test("a Host header that is not a host name is not echoed into the snippets", () => {
    expect(hostnameOf('evil.com"><script>')).toBe("localhost");
    expect(hostnameOf("a b")).toBe("localhost");
    expect(hostnameOf(null)).toBe("localhost");
    expect(hostnameOf("[fe80::1%eth0]:3000")).toBe("localhost");
  });

  test("Anthropic's SDK gets the base without /v1", () => {
    expect(anthropicBaseUrl("http://h:3001/v1")).toBe("http://h:3001");
  });
});

describe("snippets", () => {
  test("each uses the base, the placeholder key and the model; Anthropic's has no /v1", () => {
    const snippets = connectSnippets("http://h:3001/v1", "openai-prod/gpt-4o");
    expect(snippets.map((snippet) => snippet.id)).toEqual(["curl", "openai-node", "openai-python", "anthropic"]);
    for (const snippet of snippets) {
      expect(snippet.code).toContain("pcgw-…");
      expect(snippet.code).toContain('"openai-prod/gpt-4o"');
    }
    expect(snippets[0]!.code).toContain("curl http://h:3001/v1/chat/completions");
    expect(snippets[3]!.code).toContain('baseURL: "http://h:3001"');
    expect(snippets[3]!.code).not.toContain("3001/v1");
  });
});
