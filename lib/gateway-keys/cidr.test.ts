import { BlockList } from "node:net";
import { describe, expect, test } from "vitest";
import { parseCidr, parseCidrList, splitList } from "@/lib/gateway-keys/cidr";

describe("parseCidr", () => {
  test.each([
    ["10.0.0.0/8", "10.0.0.0/8"],
    [" 192.168.1.0/24 ", "192.168.1.0/24"],
    ["203.0.113.7", "203.0.113.7/32"],
    ["0.0.0.0/0", "0.0.0.0/0"],
    ["2001:DB8::/32", "2001:db8::/32"],
    ["2001:db8:0:0:0:0:0:1", "2001:db8::1/128"],
    ["::1", "::1/128"],
    ["::/0", "::/0"],
    ["fe80::/10", "fe80::/10"],
    ["::ffff:192.0.2.1", "::ffff:c000:201/128"],
    ["2001:db8:1:0:0:1:0:0/96", "2001:db8:1::1:0:0/96"],
  ])("%s is the range %s", (input, canonical) => {
    expect(parseCidr(input)).toEqual({ ok: true, cidr: canonical });
  });

  test.each([
    ["", /empty/],
    ["10.0.0", /not an IPv4 or IPv6/],
    ["256.1.1.1/32", /not an IPv4 or IPv6/],
    ["10.0.0.0/33", /at most \/32/],
    ["2001:db8::/129", /at most \/128/],
    ["10.0.0.0/-1", /prefix length/],
    ["10.0.0.0/", /prefix length/],
    ["10.0.0.0/8/8", /more than one/],
    ["fe80::1%eth0", /not an IPv4 or IPv6/],
    ["example.com", /not an IPv4 or IPv6/],
  ])("%j is refused", (input, message) => {
    const result = parseCidr(input);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.message).toMatch(message);
  });

  test("host bits set: refused, naming the network and the single-host range", () => {
    expect(parseCidr("10.1.2.3/8")).toEqual({
      ok: false,
      message: "“10.1.2.3/8” has host bits set: the range is 10.0.0.0/8 (or use 10.1.2.3/32 for the one address).",
    });
    const v6 = parseCidr("2001:db8::1/64");
    expect(v6.ok).toBe(false);
    if (!v6.ok) expect(v6.message).toContain("2001:db8::/64");
  });

  test("what it accepts, node's own BlockList reads as the same range", () => {
    const cases: [string, string, string][] = [
      ["10.0.0.0/8", "10.255.255.255", "11.0.0.0"],
      ["2001:db8::/32", "2001:db8:ffff::1", "2001:db9::"],
      ["198.51.100.0/22", "198.51.103.200", "198.51.104.0"],
    ];
    for (const [input, inside, outside] of cases) {
      const result = parseCidr(input);
      if (!result.ok) throw new Error(result.message);
      const [network, prefix] = result.cidr.split("/");
      const family = network!.includes(":") ? "ipv6" : "ipv4";
      const list = new BlockList();
      list.addSubnet(network!, Number(prefix), family);
      expect(list.check(inside, family), `${inside} in ${input}`).toBe(true);
      expect(list.check(outside, family), `${outside} in ${input}`).toBe(false);
    }
  });
});

describe("lists", () => {
  test("splits on lines, commas and spaces", () => {
    expect(splitList("10.0.0.0/8,\n 192.168.0.0/16  ::1\n\n")).toEqual(["10.0.0.0/8", "192.168.0.0/16", "::1"]);
  });

  test("canonical and de-duplicated, or every bad entry named", () => {
    expect(parseCidrList(["10.0.0.0/8", "10.0.0.0/8", "::1"])).toEqual({ ok: true, cidrs: ["10.0.0.0/8", "::1/128"] });
    const bad = parseCidrList(["10.0.0.0/8", "nope", "1.2.3.4/40"]);
    expect(bad.ok).toBe(false);
    if (!bad.ok) expect(bad.messages).toHaveLength(2);
  });
});
