import { describe, expect, test } from "vitest";

import { assertEgressAllowed, parseAllowedNetworks, refusedRangeOf } from "@/lib/provider-clients/egress";

describe("refusedRangeOf", () => {
  test.each([
    ["127.0.0.1", "loopback"],
    ["127.255.255.254", "loopback"],
    ["10.1.2.3", "private"],
    ["172.31.255.255", "private"],
    ["192.168.0.1", "private"],
    ["100.64.0.1", "carrier-grade NAT"],
    ["169.254.169.254", "link-local / metadata"],
    ["0.0.0.0", "unspecified"],
    ["::1", "loopback"],
    ["::", "unspecified"],
    ["fd00:ec2::254", "unique local (includes fd00:ec2::254 metadata)"],
    ["fe80::1", "link-local"],
    ["::ffff:127.0.0.1", "loopback"],
    ["::ffff:7f00:1", "loopback"],
    ["::ffff:a9fe:a9fe", "link-local / metadata"],
    ["64:ff9b::a00:1", "private"],
    ["2002:7f00:1::", "loopback"],
    ["[::1]", "loopback"],
  ])("%s is refused as %s", (address, range) => {
    expect(refusedRangeOf(address)).toBe(range);
  });

  test.each(["8.8.8.8", "1.1.1.1", "172.32.0.1", "100.128.0.1", "2606:4700::1111", "::ffff:8.8.8.8"])(
    "%s is public",
    (address) => {
      expect(refusedRangeOf(address)).toBeUndefined();
    },
  );
});

describe("EGRESS_ALLOWED_NETWORKS", () => {
  test("allows exactly the listed networks, including their IPv4-mapped forms", () => {
    const policy = parseAllowedNetworks(" 127.0.0.0/8 , fd00::/8,10.1.2.3");
    expect(() => assertEgressAllowed("127.0.0.1", policy)).not.toThrow();
    expect(() => assertEgressAllowed("::ffff:127.0.0.1", policy)).not.toThrow();
    expect(() => assertEgressAllowed("fd00:ec2::254", policy)).not.toThrow();
    expect(() => assertEgressAllowed("10.1.2.3", policy)).not.toThrow();
    expect(() => assertEgressAllowed("10.1.2.4", policy)).toThrow(/private/);
    expect(() => assertEgressAllowed("::1", policy)).toThrow(/loopback/);
    expect(() => assertEgressAllowed("169.254.169.254", parseAllowedNetworks(""))).toThrow(/EGRESS_ALLOWED_NETWORKS/);
  });

  test("a remembered verdict never outlives the policy it was reached under", () => {
    const saved = process.env.EGRESS_ALLOWED_NETWORKS;
    try {
      process.env.EGRESS_ALLOWED_NETWORKS = "127.0.0.0/8";
      for (let i = 0; i < 3; i += 1) expect(() => assertEgressAllowed("127.0.0.1")).not.toThrow();
      process.env.EGRESS_ALLOWED_NETWORKS = "";
      expect(() => assertEgressAllowed("127.0.0.1")).toThrow(/loopback/);
      expect(() => assertEgressAllowed("127.0.0.1")).toThrow(/loopback/);
      // Public addresses pass under either policy; a refused one keeps its reason.
      expect(() => assertEgressAllowed("8.8.8.8")).not.toThrow();
      expect(() => assertEgressAllowed("10.9.9.9", parseAllowedNetworks("127.0.0.0/8"))).toThrow(/private/);
    } finally {
      if (saved === undefined) delete process.env.EGRESS_ALLOWED_NETWORKS;
      else process.env.EGRESS_ALLOWED_NETWORKS = saved;
    }
  });

  test("a malformed entry is an error, not silently skipped", () => {
    expect(() => parseAllowedNetworks("127.0.0.0/33")).toThrow(/prefix/);
    expect(() => parseAllowedNetworks("localhost")).toThrow(/not an IP/);
    expect(() => parseAllowedNetworks("10.0.0.0/8x")).toThrow(/prefix/);
  });
});
