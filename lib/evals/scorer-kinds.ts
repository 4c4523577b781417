// The scorer kinds and their names, apart from their configuration schemas (scorer-config.ts) so the
// run form in the browser does not ship ajv.

export const SCORER_KINDS = [
  "EXACT_MATCH",
  "CONTAINS",
  "REGEX",
  "VALID_JSON",
  "JSON_SCHEMA",
  "NUMBER_TOLERANCE",
  "LLM_JUDGE",
] as const;
export type ScorerKind = (typeof SCORER_KINDS)[number];

export const SCORER_LABEL: Record<ScorerKind, string> = {
  EXACT_MATCH: "Exact match",
  CONTAINS: "Contains",
  REGEX: "Regular expression",
  VALID_JSON: "Valid JSON",
  JSON_SCHEMA: "JSON schema",
  NUMBER_TOLERANCE: "Number within tolerance",
  LLM_JUDGE: "LLM judge",
};
