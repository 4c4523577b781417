import { Prisma } from "@/lib/generated/prisma/client";
import { estimatePromptTokens } from "@/lib/gateway/token-estimate";
import { caseMessages, type EvalCaseInput } from "@/lib/evals/cases";

// The run's estimated cost, shown before it starts: the prompts counted with the o200k tokenizer
// (exact for OpenAI models, an estimate for others), every answer assumed to use maxOutputTokens
// (an upper bound), at the price in force now. A route is priced at its dearest model. Unpriced
// anywhere means no estimate (null), never $0. Judge calls are not included. Decimal throughout.

const MILLION = new Prisma.Decimal(1_000_000);

export type Price = { input: string; output: string };

export function promptTokensOf(cases: readonly Pick<EvalCaseInput, "prompt" | "messages">[]): number {
  let total = 0;
  for (const item of cases) total += estimatePromptTokens(caseMessages(item));
  return total;
}

/** Cost of `cases` answered by each target; `prices` per target lists every model it may call. */
export function estimateRunCost(
  promptTokens: number,
  caseCount: number,
  maxOutputTokens: number,
  prices: readonly (readonly (Price | null)[])[],
): string | null {
  let total = new Prisma.Decimal(0);
  for (const options of prices) {
    if (options.length === 0 || options.some((price) => price === null)) return null;
    const costs = (options as Price[]).map((price) =>
      new Prisma.Decimal(price.input)
        .mul(promptTokens)
        .add(new Prisma.Decimal(price.output).mul(maxOutputTokens * caseCount))
        .div(MILLION),
    );
    total = total.add(Prisma.Decimal.max(...costs));
  }
  return total.toDecimalPlaces(10, Prisma.Decimal.ROUND_UP).toFixed(10);
}
