import { describe, expect, test } from "vitest";
import { judgePrompt, parseJudgeAnswer } from "@/lib/evals/scorers/llm-judge";

const scale = { maxScore: 10, passScore: 7 };

describe("parsing the judge's answer", () => {
  test("a JSON object, bare or in prose or a fence", () => {
    expect(parseJudgeAnswer('{"score": 8, "reasoning": "Correct and concise."}', scale)).toEqual({
      score: 0.8,
      passed: true,
      reasoning: "Correct and concise.",
    });
    expect(
      parseJudgeAnswer('Here is my grade:\n```json\n{"score": "3", "reasoning": "Wrong city."}\n```', scale),
    ).toEqual({
      score: 0.3,
      passed: false,
      reasoning: "Wrong city.",
    });
  });

  test("prose forms: Score: n, n/10, n out of 5 rescaled", () => {
    expect(parseJudgeAnswer("The answer is mostly right. Score: 7", scale)?.score).toBe(0.7);
    expect(parseJudgeAnswer("**Score:** 9/10 because it is complete", scale)?.passed).toBe(true);
    expect(parseJudgeAnswer("I would give it 4 out of 5.", scale)?.score).toBe(0.8);
    expect(parseJudgeAnswer("6", scale)).toMatchObject({ score: 0.6, passed: false });
  });

  test("clamps out-of-range scores and keeps the reasoning", () => {
    expect(parseJudgeAnswer('{"score": 15, "reasoning": "great"}', scale)).toMatchObject({ score: 1, passed: true });
    expect(parseJudgeAnswer('{"score": -2}', scale)).toMatchObject({ score: 0, passed: false });
  });

  test("an answer without a score is null, not zero", () => {
    expect(parseJudgeAnswer("I cannot grade this.", scale)).toBeNull();
    expect(parseJudgeAnswer('{"reasoning": "no score"}', scale)).toBeNull();
  });
});

test("the judge prompt carries the question, the reference, the answer and the rubric in that order", () => {
  const prompt = judgePrompt(
    { rubric: "Full marks for the right capital.", ...scale },
    { prompt: "Capital of France?", output: "Paris", expected: "Paris" },
  );
  const order = ["Capital of France?", "<reference_answer>", "<answer_to_grade>", "Full marks"].map((text) =>
    prompt.indexOf(text),
  );
  expect(order).toEqual([...order].sort((a, b) => a - b));
  expect(prompt).toMatch(/from 0 to 10/);
});
