import { expect, test } from "vitest";
import { regexRefusal } from "@/lib/evals/scorers/regex";
import { regexMatchWithDeadline } from "@/lib/evals/scorers/regex-timed";

test("a pattern that passes the structural check but backtracks polynomially is stopped at the deadline", async () => {
  const pattern = "\\d+\\d+\\d+\\d+$";
  expect(regexRefusal(pattern)).toBeNull();
  const started = Date.now();
  const result = await regexMatchWithDeadline({ output: `${"1".repeat(5_000)}x`, expected: "" }, { pattern }, 500);
  expect(result).toMatchObject({ passed: false, score: 0 });
  expect(result.reasoning).toMatch(/longer than 500 ms/);
  expect(Date.now() - started).toBeLessThan(5_000);
}, 10_000);

test("ordinary patterns answer as the plain match does", async () => {
  expect(
    (await regexMatchWithDeadline({ output: "Order #A-1234", expected: "" }, { pattern: "#[A-Z]-\\d{4}" })).passed,
  ).toBe(true);
  expect((await regexMatchWithDeadline({ output: "no", expected: "" }, { pattern: "^yes$", flags: "i" })).passed).toBe(
    false,
  );
  expect((await regexMatchWithDeadline({ output: "x", expected: "" }, { pattern: "(a+)+" })).reasoning).toMatch(
    /refused/,
  );
});
