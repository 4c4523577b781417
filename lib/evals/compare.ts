// Two runs side by side: for every case (matched by its case key, which survives edits into new
// dataset versions) and target (matched by label), whether it got better, worse or stayed the
// same by the first scorer. Pure.

export type CaseVerdict = { caseKey: string; targetLabel: string; input: string; passed: boolean | null };
export type Change = "better" | "worse" | "same";
export type ComparedCase = {
  caseKey: string;
  targetLabel: string;
  input: string;
  before: boolean | null;
  after: boolean | null;
  change: Change;
};

export function compareRuns(before: readonly CaseVerdict[], after: readonly CaseVerdict[]) {
  const key = (row: CaseVerdict) => `${row.caseKey}\u0000${row.targetLabel}`;
  const earlier = new Map(before.map((row) => [key(row), row]));
  const rows: ComparedCase[] = [];
  for (const row of after) {
    const old = earlier.get(key(row));
    if (!old) continue;
    const was = old.passed === true;
    const is = row.passed === true;
    rows.push({
      caseKey: row.caseKey,
      targetLabel: row.targetLabel,
      input: row.input,
      before: old.passed,
      after: row.passed,
      change: was === is ? "same" : is ? "better" : "worse",
    });
  }
  const count = (change: Change) => rows.filter((row) => row.change === change).length;
  return { rows, better: count("better"), worse: count("worse"), same: count("same"), matched: rows.length };
}
