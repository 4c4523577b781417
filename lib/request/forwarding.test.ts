import { EventEmitter } from "node:events";
import type { IncomingMessage } from "node:http";
import { describe, expect, it } from "vitest";
import { clientAddress, limitBucket, trustedForwardedHost, trustedProxyHops } from "@/lib/request/forwarding";
import { normaliseForwardedHeaders } from "@/lib/request/forwarding-guard";

describe("trustedProxyHops", () => {
  it("defaults to 0 (no proxy trusted) and accepts only whole positive numbers", () => {
    expect(trustedProxyHops(undefined)).toBe(0);
    expect(trustedProxyHops("")).toBe(0);
    expect(trustedProxyHops("-1")).toBe(0);
    expect(trustedProxyHops("1.5")).toBe(0);
    expect(trustedProxyHops("abc")).toBe(0);
    expect(trustedProxyHops("2")).toBe(2);
  });
});

describe("clientAddress", () => {
  const forwarded = { "x-forwarded-for": "6.6.6.6, 198.51.100.7, 10.0.0.2", "x-real-ip": "7.7.7.7" };
  it("with no trusted proxy, takes the last entry (the socket's address the guard wrote), never X-Real-IP", () => {
    expect(clientAddress({ "x-forwarded-for": "192.0.2.1" }, 0)).toBe("192.0.2.1");
    expect(clientAddress({ "x-real-ip": "7.7.7.7" }, 0)).toBe("local");
  });
  it("with N proxies, takes the entry N from the right, which the nearest proxy wrote", () => {
    expect(clientAddress(forwarded, 1)).toBe("10.0.0.2");
    expect(clientAddress(forwarded, 2)).toBe("198.51.100.7");
    expect(clientAddress(new Headers(forwarded), 2)).toBe("198.51.100.7");
    expect(clientAddress({ "x-real-ip": "7.7.7.7" }, 1)).toBe("7.7.7.7");
  });
});

describe("trustedForwardedHost", () => {
  it("is believed only with proxies configured", () => {
    expect(trustedForwardedHost("console.example.com, inner", 0)).toBeNull();
    expect(trustedForwardedHost("console.example.com, inner", 1)).toBe("console.example.com");
    expect(trustedForwardedHost(null, 1)).toBeNull();
  });
});

describe("normaliseForwardedHeaders", () => {
  const request = (headers: Record<string, string>) =>
    Object.assign(new EventEmitter(), {
      headers: { ...headers },
      socket: { remoteAddress: "203.0.113.9" },
    }) as unknown as IncomingMessage;
  const sent = {
    host: "console.local",
    "x-forwarded-for": "1.2.3.4",
    "x-forwarded-host": "evil.example",
    "x-forwarded-proto": "https",
    "x-real-ip": "1.2.3.4",
    forwarded: "for=1.2.3.4",
  };
  it("with no trusted proxy, replaces what the client sent with the socket's address", () => {
    const incoming = request(sent);
    normaliseForwardedHeaders(incoming, 0);
    expect(incoming.headers).toEqual({
      host: "console.local",
      "x-forwarded-for": "203.0.113.9",
      "x-forwarded-proto": "https",
    });
  });
  it("behind configured proxies, leaves the proxies' headers alone", () => {
    const incoming = request(sent);
    normaliseForwardedHeaders(incoming, 1);
    expect(incoming.headers).toEqual(sent);
  });
});

describe("limitBucket", () => {
  it("counts IPv6 by its /64 and IPv4-mapped addresses as IPv4", () => {
    expect(limitBucket("203.0.113.9")).toBe("203.0.113.9");
    expect(limitBucket("::ffff:203.0.113.9")).toBe("203.0.113.9");
    expect(limitBucket("2001:db8:0:1:aaaa:bbbb:cccc:dddd")).toBe("2001:db8:0:1::/64");
    expect(limitBucket("2001:DB8:0:1::1")).toBe("2001:db8:0:1::/64");
    expect(limitBucket("2001:0db8:0000:0001::ffff")).toBe("2001:db8:0:1::/64");
    expect(limitBucket("2001:db8::1")).toBe("2001:db8:0:0::/64");
    expect(limitBucket("fe80::1%eth0")).toBe("fe80:0:0:0::/64");
    expect(limitBucket("::1")).toBe("0:0:0:0::/64");
    expect(limitBucket("local")).toBe("local");
  });
});
