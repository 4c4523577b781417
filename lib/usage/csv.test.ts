import { describe, expect, it } from "vitest";
import { csvCell, csvLine } from "./csv";

describe("CSV cells", () => {
  it("neutralises formula injection in text cells", () => {
    expect(csvCell('=HYPERLINK("http://evil")')).toBe(`"'=HYPERLINK(""http://evil"")"`);
    expect(csvCell("+1")).toBe("'+1");
    expect(csvCell("-cmd")).toBe("'-cmd");
    expect(csvCell("@SUM(A1)")).toBe("'@SUM(A1)");
  });

  it("leaves our own numbers alone, including negatives", () => {
    expect(csvCell("-0.5000000000", "number")).toBe("-0.5000000000");
    expect(csvCell(42, "number")).toBe("42");
  });

  it("quotes commas, quotes and newlines, and writes empty cells for null", () => {
    expect(csvCell("a,b")).toBe('"a,b"');
    expect(csvCell('say "hi"')).toBe('"say ""hi"""');
    expect(csvCell(null)).toBe("");
    expect(csvLine(["a", "b"])).toBe("a,b\r\n");
  });
});
