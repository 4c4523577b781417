import { describe, expect, it } from "vitest";
import { estimatedNote, formatRecordCost, formatSpend, formatUsd } from "./currency";

describe("currency formatting", () => {
  it("rounds exact decimals once and groups thousands", () => {
    expect(formatUsd("1234567.005")).toBe("$1,234,567.01");
    expect(formatUsd("0.0000000001")).toBe("$0.00");
    expect(formatUsd("12")).toBe("$12.00");
  });

  it("never shows unpriced usage as $0", () => {
    expect(formatSpend("0", 3, 3)).toBe("unpriced (3)");
    expect(formatSpend("5.5", 2, 10)).toBe("$5.50 + 2 unpriced");
    expect(formatSpend("5.5", 0, 10)).toBe("$5.50");
  });

  it("shows a record's exact cost without trailing zeros", () => {
    expect(formatRecordCost("0.0057500000")).toBe("$0.00575");
    expect(formatRecordCost("1.0000000000")).toBe("$1.00");
    expect(formatRecordCost("0.0000000000")).toBe("$0.00");
    expect(formatRecordCost("12.5")).toBe("$12.50");
  });

  it("flags tokenizer-estimated requests by count, and says nothing when there are none", () => {
    expect(estimatedNote(0)).toBeNull();
    expect(estimatedNote(1)).toBe("1 request estimated by tokenizer");
    expect(estimatedNote(12345)).toBe("12,345 requests estimated by tokenizer");
  });
});
