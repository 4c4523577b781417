import { parse } from "csv-parse/sync";
import { caseSchema, MAX_CASES, type EvalCaseInput } from "@/lib/evals/cases";

// Dataset files: JSONL (one JSON object per line) or CSV with a header row. Every bad row is
// reported with its line number and nothing is saved unless every row is good, so an import is
// all or nothing. Accepted fields: prompt | messages, expected | expected_output | expectedOutput,
// metadata (a JSON object; in CSV a JSON text), and in CSV any other column goes into metadata.

export type ImportFormat = "jsonl" | "csv";
export type ImportError = { line: number; message: string };
export type ImportResult = { ok: true; cases: EvalCaseInput[] } | { ok: false; errors: ImportError[] };

const MAX_ERRORS = 20;
const EXPECTED_NAMES = ["expected_output", "expectedOutput", "expected"] as const;
const KNOWN = new Set<string>(["prompt", "messages", "metadata", ...EXPECTED_NAMES]);

function firstIssue(error: { issues: { path: PropertyKey[]; message: string }[] }): string {
  const issue = error.issues[0];
  if (!issue) return "This row is not a valid case.";
  const path = issue.path.filter((part) => typeof part !== "symbol").join(".");
  return path && !issue.message.includes(String(issue.path[0])) ? `${path}: ${issue.message}` : issue.message;
}

function expectedOf(row: Record<string, unknown>): unknown {
  for (const name of EXPECTED_NAMES) {
    const value = row[name];
    if (value === undefined || value === null) continue;
    return typeof value === "number" || typeof value === "boolean" ? String(value) : value;
  }
  return "";
}

function toCase(row: Record<string, unknown>, extraMetadata: Record<string, unknown> = {}) {
  const metadata = row.metadata ?? {};
  const merged =
    metadata && typeof metadata === "object" && !Array.isArray(metadata) ? { ...extraMetadata, ...metadata } : metadata;
  return caseSchema.safeParse({
    prompt: row.prompt === "" ? null : (row.prompt ?? null),
    messages: row.messages ?? null,
    expectedOutput: expectedOf(row),
    metadata: merged,
  });
}

function collect(rows: Iterable<{ line: number; parsed: ReturnType<typeof toCase> | string }>): ImportResult {
  const cases: EvalCaseInput[] = [];
  const errors: ImportError[] = [];
  for (const { line, parsed } of rows) {
    if (typeof parsed === "string") errors.push({ line, message: parsed });
    else if (!parsed.success) errors.push({ line, message: firstIssue(parsed.error) });
    else cases.push(parsed.data);
    if (errors.length >= MAX_ERRORS) break;
  }
  if (errors.length > 0) return { ok: false, errors };
  if (cases.length === 0) return { ok: false, errors: [{ line: 1, message: "The file holds no cases." }] };
  if (cases.length > MAX_CASES)
    return {
      ok: false,
      errors: [{ line: 1, message: `A dataset holds at most ${MAX_CASES.toLocaleString("en")} cases.` }],
    };
  return { ok: true, cases };
}

function* jsonlRows(text: string) {
  const lines = text.replace(/^\uFEFF/, "").split(/\r?\n/);
  for (const [index, raw] of lines.entries()) {
    if (raw.trim() === "") continue;
    let value: unknown;
    try {
      value = JSON.parse(raw);
    } catch {
      yield { line: index + 1, parsed: "Not valid JSON." };
      continue;
    }
    if (!value || typeof value !== "object" || Array.isArray(value)) {
      yield { line: index + 1, parsed: "Each line must be a JSON object." };
      continue;
    }
    yield { line: index + 1, parsed: toCase(value as Record<string, unknown>) };
  }
}

function jsonCell(value: string | undefined, what: string): unknown {
  if (value === undefined || value.trim() === "") return undefined;
  try {
    return JSON.parse(value);
  } catch {
    throw new Error(`${what} is not valid JSON.`);
  }
}

function csvRows(text: string): ImportResult {
  let records: { record: Record<string, string>; info: { lines: number } }[];
  try {
    records = parse(text, { bom: true, columns: true, skip_empty_lines: true, info: true, trim: false });
  } catch (error) {
    const line =
      error && typeof error === "object" && "lines" in error && typeof error.lines === "number" ? error.lines : 1;
    const message =
      error instanceof Error ? error.message.replace(/^[A-Za-z_]+:\s*/, "") : "The CSV could not be read.";
    return { ok: false, errors: [{ line, message }] };
  }
  const header = records[0] ? Object.keys(records[0].record) : [];
  if (records.length > 0 && !header.includes("prompt") && !header.includes("messages"))
    return { ok: false, errors: [{ line: 1, message: "The header needs a prompt or a messages column." }] };
  return collect(
    records.map(({ record, info }) => {
      try {
        const extra = Object.fromEntries(Object.entries(record).filter(([name]) => !KNOWN.has(name)));
        const row = {
          prompt: record.prompt,
          messages: jsonCell(record.messages, "messages"),
          metadata: jsonCell(record.metadata, "metadata"),
          expected_output: record.expected_output,
          expectedOutput: record.expectedOutput,
          expected: record.expected,
        };
        return { line: info.lines, parsed: toCase(row, extra) };
      } catch (error) {
        return { line: info.lines, parsed: error instanceof Error ? error.message : "Unreadable row." };
      }
    }),
  );
}

export function parseDataset(text: string, format: ImportFormat): ImportResult {
  return format === "jsonl" ? collect(jsonlRows(text)) : csvRows(text);
}
