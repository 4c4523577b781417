import "server-only";
import { db, pool } from "@/lib/db/client";
import { DomainError } from "@/lib/errors/domain-error";
import { executeCall } from "@/lib/calls/execute-call";
import { caseInputText, caseMessages, type CaseMessage } from "@/lib/evals/cases";
import { budgetRefusal } from "@/lib/evals/budget-check";
import { scorerConfigSchema, type LlmJudgeConfig, type ScorerConfig } from "@/lib/evals/scorer-config";
import { scoreDeterministic } from "@/lib/evals/scorers/score";
import { regexMatchWithDeadline } from "@/lib/evals/scorers/regex-timed";
import { JUDGE_MAX_OUTPUT_TOKENS, judgePrompt, parseJudgeAnswer } from "@/lib/evals/scorers/llm-judge";
import { callTargetOf, pricesNow, type CallTarget } from "@/lib/evals/targets";
import type { Claimed } from "@/lib/evals/queue";

// One claimed case x target: the call through the call engine (recorded as EVAL usage, id
// "<result>:<attempt>"), the scorers (an LLM judge's call recorded as "<result>:<attempt>:judge:<n>"),
// and one guarded write of the outcome: only the attempt that still holds the row may finish it,
// so a case finishes exactly once even when a worker that lost its lease comes back. The result's
// cost is the sum of every attempt's usage records, so the run's cost equals its EVAL usage.

export const EVAL_USAGE_TAG = "eval";

/** Stops writes when the worker is stopped abruptly (tests simulate a crash with it). */
export type Liveness = { signal: AbortSignal; alive: () => boolean };

type CallResult =
  | {
      ok: true;
      text: string;
      latencyMs: number | null;
      ttftMs: number | null;
      inputTokens: number;
      outputTokens: number;
    }
  | { ok: false; errorClass: string; message: string; latencyMs: number | null };

async function guardedCall(
  target: CallTarget,
  messages: CaseMessage[],
  maxOutputTokens: number,
  clientRecordId: string,
  signal: AbortSignal,
): Promise<CallResult> {
  const price = (await pricesNow([target.model.id])).get(target.model.id);
  const refusal = await budgetRefusal(target.provider.id, Boolean(price));
  if (refusal) return { ok: false, errorClass: "budget", message: refusal, latencyMs: null };
  const outcome = await executeCall({
    provider: target.provider,
    model: target.model,
    key: { providerId: target.provider.id },
    messages,
    maxOutputTokens,
    usage: { source: "EVAL", tag: EVAL_USAGE_TAG, clientRecordId },
    signal,
  });
  if (!outcome.ok)
    return {
      ok: false,
      errorClass: outcome.errorClass ?? "error",
      message: outcome.message,
      latencyMs: outcome.latencyMs,
    };
  return {
    ok: true,
    text: outcome.answer,
    latencyMs: outcome.latencyMs,
    ttftMs: outcome.ttftMs,
    inputTokens: outcome.inputTokens,
    outputTokens: outcome.outputTokens,
  };
}

type ScoreRow = {
  scorerId: string;
  score: number | null;
  passed: boolean | null;
  reasoning: string;
  error: string | null;
  judgeIds: string[];
};

async function judge(
  config: LlmJudgeConfig,
  input: { prompt: string; output: string; expected: string },
  recordId: string,
  signal: AbortSignal,
): Promise<Omit<ScoreRow, "scorerId" | "judgeIds">> {
  let target: CallTarget;
  try {
    target = await callTargetOf({ providerId: config.providerId, modelId: config.modelId, routeId: null });
  } catch (error) {
    if (error instanceof DomainError) return { score: null, passed: false, reasoning: "", error: error.message };
    throw error;
  }
  const answer = await guardedCall(
    target,
    [{ role: "user", content: judgePrompt(config, input) }],
    JUDGE_MAX_OUTPUT_TOKENS,
    recordId,
    signal,
  );
  if (!answer.ok)
    return { score: null, passed: false, reasoning: "", error: `The judge's call failed: ${answer.message}` };
  const verdict = parseJudgeAnswer(answer.text, config);
  if (!verdict)
    return {
      score: null,
      passed: false,
      reasoning: answer.text.slice(0, 2_000),
      error: "The judge's answer held no score.",
    };
  return { ...verdict, error: null };
}

async function scoreAll(
  scorers: { id: string; position: number; config: ScorerConfig }[],
  input: { prompt: string; output: string; expected: string },
  recordPrefix: string,
  attempts: number,
  signal: AbortSignal,
): Promise<ScoreRow[]> {
  const out: ScoreRow[] = [];
  for (const scorer of scorers) {
    const judgeIds = Array.from({ length: attempts }, (_, k) => `${recordPrefix}:${k + 1}:judge:${scorer.position}`);
    if (scorer.config.kind === "LLM_JUDGE") {
      const verdict = await judge(scorer.config, input, judgeIds.at(-1)!, signal);
      out.push({ scorerId: scorer.id, ...verdict, judgeIds });
    } else if (scorer.config.kind === "REGEX") {
      // On a worker thread with a deadline: a pattern can still backtrack for hours on some outputs.
      const verdict = await regexMatchWithDeadline({ output: input.output, expected: input.expected }, scorer.config);
      out.push({ scorerId: scorer.id, ...verdict, error: null, judgeIds: [] });
    } else {
      const verdict = scoreDeterministic(scorer.config, { output: input.output, expected: input.expected });
      out.push({ scorerId: scorer.id, ...verdict, error: null, judgeIds: [] });
    }
  }
  return out;
}

const FINISH_SQL = `
WITH spent AS (
  SELECT sum(cost) AS cost, bool_and(priced) AS priced, max(id) AS last_id
  FROM usage_records WHERE source = 'EVAL' AND client_record_id = ANY($11::text[]))
UPDATE eval_case_results r
   SET status = $3::"EvalResultStatus", output = $4, error_class = $5, error_message = $6, latency_ms = $7,
       ttft_ms = $8, input_tokens = $9, output_tokens = $10,
       cost = CASE WHEN spent.last_id IS NULL THEN 0 WHEN spent.priced THEN spent.cost END,
       priced = COALESCE(spent.priced, true), usage_record_id = spent.last_id,
       finished_at = now(), lease_until = NULL
  FROM spent
 WHERE r.id = $1 AND r.attempts = $2 AND r.status = 'RUNNING'`;

const SCORE_SQL = `
INSERT INTO eval_scores (id, result_id, scorer_id, score, passed, reasoning, error, cost, usage_record_id)
SELECT gen_random_uuid(), $1::uuid, $2::uuid, $3::numeric, $4::boolean, $5::text, $6::text,
       CASE WHEN bool_and(priced) IS NULL THEN NULL WHEN bool_and(priced) THEN sum(cost) END, max(id)
  FROM usage_records WHERE source = 'EVAL' AND client_record_id = ANY($7::text[])
ON CONFLICT (result_id, scorer_id) DO NOTHING`;

/** Fails a claimed result that could not be processed (an unexpected error, already logged), so it is not retried forever. */
export async function failClaimed(claimed: Claimed, message: string): Promise<void> {
  await pool.query(
    `UPDATE eval_case_results SET status = 'FAILED', error_class = 'internal', error_message = $3,
            finished_at = now(), lease_until = NULL
      WHERE id = $1 AND attempts = $2 AND status = 'RUNNING'`,
    [claimed.id, claimed.attempts, message],
  );
}

/** Processes one claimed result; returns false when it was not this attempt's to finish. */
export async function processResult(claimed: Claimed, live: Liveness): Promise<boolean> {
  const row = await db.evalCaseResult.findUnique({
    where: { id: claimed.id },
    select: {
      runId: true,
      case: { select: { prompt: true, messages: true, expectedOutput: true } },
      target: { select: { providerId: true, modelId: true, routeId: true } },
      run: {
        select: {
          maxOutputTokens: true,
          scorers: { orderBy: { position: "asc" }, select: { id: true, position: true, config: true } },
        },
      },
    },
  });
  if (!row) return false;
  const item = { prompt: row.case.prompt, messages: (row.case.messages as CaseMessage[] | null) ?? null };
  const recordIds = Array.from({ length: claimed.attempts }, (_, k) => `${claimed.id}:${k + 1}`);
  let call: CallResult;
  try {
    const target = await callTargetOf(row.target);
    call = await guardedCall(target, caseMessages(item), row.run.maxOutputTokens, recordIds.at(-1)!, live.signal);
  } catch (error) {
    if (!(error instanceof DomainError)) throw error;
    call = { ok: false, errorClass: "unavailable", message: error.message, latencyMs: null };
  }
  if (!live.alive()) return false;
  // This process had its maximum of provider calls open: nothing was sent, so the case goes back
  // to the queue for a later claim instead of failing.
  if (!call.ok && call.errorClass === "busy") {
    await pool.query(
      `UPDATE eval_case_results SET status = 'PENDING', lease_until = NULL
        WHERE id = $1 AND attempts = $2 AND status = 'RUNNING'`,
      [claimed.id, claimed.attempts],
    );
    return false;
  }
  const scorers = row.run.scorers.flatMap((scorer) => {
    const config = scorerConfigSchema.safeParse(scorer.config);
    return config.success ? [{ id: scorer.id, position: scorer.position, config: config.data }] : [];
  });
  const scores = call.ok
    ? await scoreAll(
        scorers,
        { prompt: caseInputText(item), output: call.text, expected: row.case.expectedOutput },
        claimed.id,
        claimed.attempts,
        live.signal,
      )
    : [];
  if (!live.alive()) return false;
  const client = await pool.connect();
  try {
    await client.query("BEGIN");
    const finished = await client.query(FINISH_SQL, [
      claimed.id,
      claimed.attempts,
      call.ok ? "DONE" : "FAILED",
      call.ok ? call.text : "",
      call.ok ? null : call.errorClass,
      call.ok ? null : call.message,
      call.latencyMs,
      call.ok ? call.ttftMs : null,
      call.ok ? call.inputTokens : 0,
      call.ok ? call.outputTokens : 0,
      recordIds,
    ]);
    if ((finished.rowCount ?? 0) === 0) {
      await client.query("ROLLBACK");
      return false;
    }
    for (const score of scores)
      await client.query(SCORE_SQL, [
        claimed.id,
        score.scorerId,
        score.score === null ? null : score.score.toFixed(6),
        score.passed,
        score.reasoning,
        score.error,
        score.judgeIds,
      ]);
    await client.query("COMMIT");
    return true;
  } catch (error) {
    await client.query("ROLLBACK").catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
}
