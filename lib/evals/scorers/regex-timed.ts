import { Worker } from "node:worker_threads";
import { MAX_REGEX_INPUT, regexRefusal } from "@/lib/evals/scorers/regex";
import { verdict, type ScoreInput, type Verdict } from "@/lib/evals/scorers/types";

// The structural check in regex.ts refuses the exponential patterns, but adjacent repeats over the
// same characters ("\d+\d+\d+$") are still polynomial, and a high power of 10,000 characters is
// hours. A JavaScript regex cannot be interrupted on its own thread, so the worker runs every
// pattern on a worker thread it can terminate: past the deadline the case fails this scorer with
// "timed out" instead of stalling the evaluation worker.

export const REGEX_TIMEOUT_MS = Number(process.env.EVAL_REGEX_TIMEOUT_MS ?? 2_000);

const SOURCE = `
const { parentPort, workerData } = require("node:worker_threads");
const { pattern, flags, text } = workerData;
parentPort.postMessage(new RegExp(pattern, flags).test(text));
`;

/** true / false, or "timeout" when the pattern ran past `timeoutMs` (the thread is terminated). */
export function testRegexWithDeadline(
  pattern: string,
  flags: string,
  text: string,
  timeoutMs = REGEX_TIMEOUT_MS,
): Promise<boolean | "timeout"> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(SOURCE, {
      eval: true,
      workerData: { pattern, flags, text },
      resourceLimits: { maxOldGenerationSizeMb: 64 },
    });
    const timer = setTimeout(() => {
      void worker.terminate();
      resolve("timeout");
    }, timeoutMs);
    worker.once("message", (matched: unknown) => {
      clearTimeout(timer);
      void worker.terminate();
      resolve(matched === true);
    });
    worker.once("error", (error) => {
      clearTimeout(timer);
      reject(error);
    });
  });
}

/** regexMatch's verdict, with the match run under a deadline. */
export async function regexMatchWithDeadline(
  input: ScoreInput,
  options: { pattern: string; flags?: string },
  timeoutMs = REGEX_TIMEOUT_MS,
): Promise<Verdict> {
  const flags = options.flags ?? "";
  const refusal = regexRefusal(options.pattern, flags);
  if (refusal) return verdict(false, `Pattern refused: ${refusal}`);
  const matched = await testRegexWithDeadline(
    options.pattern,
    flags,
    input.output.slice(0, MAX_REGEX_INPUT),
    timeoutMs,
  );
  if (matched === "timeout")
    return verdict(false, `The pattern took longer than ${timeoutMs} ms on this output and was stopped.`);
  return verdict(matched, matched ? "The output matches the pattern." : "The output does not match the pattern.");
}
