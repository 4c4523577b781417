import { describe, expect, it } from "vitest";
import {
  MALFORMED_ADDRESS,
  MALFORMED_ROUTER_STATE,
  malformedPath,
  malformedRouterState,
} from "@/lib/request/malformed";

// What the client router sends when navigating from the overview (Next 16's tree shape).
const REAL_TREE = encodeURIComponent(
  JSON.stringify(["", { children: ["(console)", { children: ["__PAGE__", {}] }] }, null, null]),
);

describe("malformedPath", () => {
  it("lets well-formed paths through", () => {
    expect(malformedPath("/providers/0b6f5f1e-0000-4000-8000-000000000000")).toBeNull();
    expect(malformedPath("/usage/%E2%82%AC%20tag")).toBeNull();
  });

  it("refuses a segment that is not valid percent-encoding", () => {
    for (const path of ["/providers/%E0%A4%A", "/users/%FF", "/providers/%C0%AF/edit", "/%"]) {
      expect(malformedPath(path), path).toBe(MALFORMED_ADDRESS);
    }
  });
});

describe("malformedRouterState", () => {
  it("lets a real router state, and requests Next does not read it on, through", () => {
    expect(malformedRouterState("1", REAL_TREE)).toBeNull();
    expect(malformedRouterState("1", undefined)).toBeNull();
    // Without rsc: 1 Next never reads the header.
    expect(malformedRouterState(undefined, "garbage")).toBeNull();
  });

  it("refuses a router state Next could not parse", () => {
    for (const state of [
      "garbage",
      "%E0%A4%A",
      "[]",
      encodeURIComponent('["",{},null,null,true]'),
      encodeURIComponent('{"children":[]}'),
      "x".repeat(40_001),
    ]) {
      expect(malformedRouterState("1", state), state.slice(0, 40)).toBe(MALFORMED_ROUTER_STATE);
    }
    expect(malformedRouterState("1", [REAL_TREE, REAL_TREE])).toBe(MALFORMED_ROUTER_STATE);
  });
});
