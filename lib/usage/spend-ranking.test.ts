import { describe, expect, it } from "vitest";
import { NONE_ID } from "./buckets";
import { topBySpend } from "./spend-ranking";

const row = (seriesId: string, cost: string, requests = 1) => ({ seriesId, cost, requests });

describe("top by spend", () => {
  it("ranks by exact cost, then by requests, then by id, and keeps the first N", () => {
    const rows = [
      row("a", "10.0000000000", 1),
      // One double apart from nothing: a float compare would tie them and put b first.
      row("b", "90071992547.4099200000"),
      row("c", "90071992547.4099200001"),
      row("d", "10.0000000000", 5),
      row("e", "0.0000000001"),
      row("f", "10.0000000000", 1),
    ];
    expect(topBySpend(rows, 5).map((r) => r.seriesId)).toEqual(["c", "b", "d", "a", "f"]);
  });

  it("leaves out excluded ids (the nil UUID: usage without a team)", () => {
    const rows = [row(NONE_ID, "100"), row("team-a", "1"), row("team-b", "2")];
    expect(topBySpend(rows, 5, new Set([NONE_ID])).map((r) => r.seriesId)).toEqual(["team-b", "team-a"]);
  });

  it("returns nothing for a limit of zero or less", () => {
    expect(topBySpend([row("a", "1")], 0)).toEqual([]);
    expect(topBySpend([row("a", "1")], -1)).toEqual([]);
  });
});
