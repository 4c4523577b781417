import { describe, expect, it } from "vitest";
import { hostCannotBeRebound } from "@/lib/request/rebinding";

const env = (values: Record<string, string>) => values as NodeJS.ProcessEnv;

describe("hostCannotBeRebound", () => {
  it("accepts the console's own host, localhost and IP literals", () => {
    const configured = env({
      NEXTAUTH_URL: "https://console.example.com",
      ALLOWED_ORIGINS: "https://alias.example.com, https://other.example.org:8443",
    });
    expect(hostCannotBeRebound("console.example.com", configured)).toBe(true);
    expect(hostCannotBeRebound("Console.Example.com:443", configured)).toBe(true);
    expect(hostCannotBeRebound("alias.example.com", configured)).toBe(true);
    expect(hostCannotBeRebound("other.example.org:8443", configured)).toBe(true);
    for (const host of ["localhost:3000", "127.0.0.1:3000", "10.1.2.3", "[::1]:3000", "app.localhost:3000"]) {
      expect(hostCannotBeRebound(host, env({ NEXTAUTH_URL: "http://localhost:3000" })), host).toBe(true);
    }
  });

  it("refuses any other DNS name, and hosts that do not parse", () => {
    const configured = env({ NEXTAUTH_URL: "http://localhost:3000" });
    for (const host of [
      "rebind.example:3000",
      "console.example.com.evil.example",
      "localhost.evil.example",
      "",
      "a b",
      null,
    ]) {
      expect(hostCannotBeRebound(host, configured), String(host)).toBe(false);
    }
    expect(hostCannotBeRebound("console.example.com", env({}))).toBe(false);
  });
});
