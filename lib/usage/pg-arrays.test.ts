import { describe, expect, it } from "vitest";
import { intArray, textArray } from "./pg-arrays";

describe("PostgreSQL array literals", () => {
  it("writes whole numbers and NULLs", () => {
    expect(intArray([1, null, -3, 0])).toBe("{1,NULL,-3,0}");
    expect(intArray([])).toBe("{}");
    expect(() => intArray([1.5])).toThrow(TypeError);
  });

  it("quotes every text element and escapes quotes and backslashes", () => {
    expect(textArray(["a", null, "", "NULL", 'say "hi"', "back\\slash", "{a,b}"])).toBe(
      '{"a",NULL,"","NULL","say \\"hi\\"","back\\\\slash","{a,b}"}',
    );
  });
});
