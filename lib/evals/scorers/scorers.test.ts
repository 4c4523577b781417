import { describe, expect, test } from "vitest";
import { contains } from "@/lib/evals/scorers/contains";
import { exactMatch } from "@/lib/evals/scorers/exact-match";
import { compileSchema, matchesJsonSchema, validJson } from "@/lib/evals/scorers/json";
import { firstNumber, numberWithin } from "@/lib/evals/scorers/number";
import { MAX_REGEX_INPUT, regexMatch, regexRefusal } from "@/lib/evals/scorers/regex";
import { scorerConfigSchema } from "@/lib/evals/scorer-config";

describe("exact match", () => {
  test("is exact unless normalisation is asked for", () => {
    expect(exactMatch({ output: "Paris", expected: "Paris" }, {}).passed).toBe(true);
    expect(exactMatch({ output: "paris", expected: "Paris" }, {}).passed).toBe(false);
    expect(exactMatch({ output: " Paris ", expected: "Paris" }, {}).passed).toBe(false);
    expect(exactMatch({ output: "Paris.", expected: "Paris" }, {}).passed).toBe(false);
  });

  test("each normalisation option forgives only its own difference", () => {
    expect(exactMatch({ output: "paris", expected: "Paris" }, { ignoreCase: true }).passed).toBe(true);
    expect(exactMatch({ output: "  New\n York ", expected: "New York" }, { ignoreWhitespace: true }).passed).toBe(true);
    expect(exactMatch({ output: "Paris!", expected: "Paris" }, { ignorePunctuation: true }).passed).toBe(true);
    expect(exactMatch({ output: "Paris!", expected: "Paris" }, { ignoreCase: true }).passed).toBe(false);
    expect(
      exactMatch(
        { output: " PARIS, France. ", expected: "paris france" },
        { ignoreCase: true, ignorePunctuation: true, ignoreWhitespace: true },
      ).score,
    ).toBe(1);
  });
});

describe("contains", () => {
  test("finds the expected text or the configured needle", () => {
    expect(contains({ output: "The answer is 42.", expected: "42" }, {}).passed).toBe(true);
    expect(contains({ output: "The answer is 41.", expected: "42" }, {}).passed).toBe(false);
    expect(contains({ output: "YES, it is", expected: "" }, { needle: "yes", ignoreCase: true }).passed).toBe(true);
  });

  test("an empty needle never passes", () => {
    expect(contains({ output: "anything", expected: "" }, {}).passed).toBe(false);
  });
});

describe("regular expression", () => {
  test("matches with flags", () => {
    expect(regexMatch({ output: "Order #A-1234 shipped", expected: "" }, { pattern: "#[A-Z]-\\d{4}" }).passed).toBe(
      true,
    );
    expect(regexMatch({ output: "YES", expected: "" }, { pattern: "^yes$", flags: "i" }).passed).toBe(true);
    expect(regexMatch({ output: "no", expected: "" }, { pattern: "^yes$", flags: "i" }).passed).toBe(false);
  });

  test("invalid and catastrophic patterns are refused at save", () => {
    expect(regexRefusal("(")).toMatch(/Not a valid regular expression/);
    expect(regexRefusal("(a+)+$")).toMatch(/repeats/);
    expect(regexRefusal("(a*)*b")).toMatch(/repeats/);
    expect(regexRefusal("((ab)+)*")).toMatch(/repeats/);
    expect(regexRefusal("(a|aa)+$")).toMatch(/alternatives/);
    expect(regexRefusal("(\\d+){2,}")).toMatch(/repeats/);
    expect(regexRefusal("(a)\\1")).toMatch(/Backreferences/);
    expect(regexRefusal("x".repeat(501))).toMatch(/under 500/);
    expect(regexRefusal("abc", "g")).toMatch(/Flags/);
  });

  test("ordinary patterns with groups, classes and bounded repeats are allowed", () => {
    expect(regexRefusal("^(yes|no)$")).toBeNull();
    expect(regexRefusal("(ab)+c")).toBeNull();
    expect(regexRefusal("[(+*]+")).toBeNull();
    expect(regexRefusal("(\\d+)?x")).toBeNull();
    expect(regexRefusal("(\\d{1,3}\\.){3}\\d{1,3}")).toBeNull();
  });

  test("only the first MAX_REGEX_INPUT characters are searched", () => {
    const output = `${"a".repeat(MAX_REGEX_INPUT)}needle`;
    expect(regexMatch({ output, expected: "" }, { pattern: "needle" }).passed).toBe(false);
  });
});

describe("JSON", () => {
  test("valid JSON, also inside one Markdown fence", () => {
    expect(validJson({ output: '{"a": 1}', expected: "" }).passed).toBe(true);
    expect(validJson({ output: '```json\n{"a": 1}\n```', expected: "" }).passed).toBe(true);
    expect(validJson({ output: 'Sure! {"a": 1}', expected: "" }).passed).toBe(false);
  });

  test("matching a JSON schema", () => {
    const schema = JSON.stringify({
      type: "object",
      properties: { city: { type: "string" }, population: { type: "integer" } },
      required: ["city"],
    });
    expect(
      matchesJsonSchema({ output: '{"city": "Oslo", "population": 700000}', expected: "" }, { schema }).passed,
    ).toBe(true);
    const wrong = matchesJsonSchema({ output: '{"population": "many"}', expected: "" }, { schema });
    expect(wrong.passed).toBe(false);
    expect(wrong.reasoning).toMatch(/schema/);
  });

  test("a schema that does not compile is refused", () => {
    expect(compileSchema("{").ok).toBe(false);
    expect(compileSchema('{"type": "strin"}').ok).toBe(false);
    expect(compileSchema('{"typo_keyword": 1}').ok).toBe(false);
    expect(compileSchema("[]").ok).toBe(false);
  });
});

describe("number within a tolerance", () => {
  test("reads the first number, with separators and signs", () => {
    expect(firstNumber("about 1,234.5 units")).toBe(1234.5);
    expect(firstNumber("-3e2")).toBe(-300);
    expect(firstNumber("none")).toBeNull();
  });

  test("absolute and relative tolerances", () => {
    expect(numberWithin({ output: "3.14", expected: "3.14159" }, { tolerance: 0.01 }).passed).toBe(true);
    expect(numberWithin({ output: "3.1", expected: "3.14159" }, { tolerance: 0.01 }).passed).toBe(false);
    expect(
      numberWithin({ output: "The total is 1,010", expected: "1000" }, { tolerance: 0.01, relative: true }).passed,
    ).toBe(true);
    expect(numberWithin({ output: "1,011", expected: "1000" }, { tolerance: 0.01, relative: true }).passed).toBe(false);
    expect(numberWithin({ output: "0.3", expected: "0.1 + 0.2 = 0.30000000000000004" }, { tolerance: 0 }).passed).toBe(
      false,
    );
    expect(numberWithin({ output: "no idea", expected: "4" }, { tolerance: 1 }).passed).toBe(false);
  });
});

describe("scorer configuration", () => {
  test("refuses a catastrophic pattern and an unusable schema with a field path", () => {
    const regex = scorerConfigSchema.safeParse({ kind: "REGEX", pattern: "(a+)+" });
    expect(regex.success).toBe(false);
    expect(regex.error?.issues[0]?.path).toEqual(["pattern"]);
    const schema = scorerConfigSchema.safeParse({ kind: "JSON_SCHEMA", schema: "{" });
    expect(schema.error?.issues[0]?.path).toEqual(["schema"]);
  });

  test("fills defaults", () => {
    expect(scorerConfigSchema.parse({ kind: "EXACT_MATCH" })).toEqual({
      kind: "EXACT_MATCH",
      ignoreCase: false,
      ignoreWhitespace: false,
      ignorePunctuation: false,
    });
  });
});
