import Ajv, { type ValidateFunction } from "ajv";
import { capped, verdict, type ScoreInput, type Verdict } from "@/lib/evals/scorers/types";

// Models often wrap JSON in a Markdown fence; one surrounding fence is accepted, nothing else.
const FENCE = /^```(?:json)?\s*\n([\s\S]*?)\n?```$/i;

export const MAX_SCHEMA_CHARS = 20_000;

type Parsed = { ok: true; value: unknown } | { ok: false; message: string };

export function parseOutputJson(output: string): Parsed {
  const trimmed = capped(output).trim();
  const body = FENCE.exec(trimmed)?.[1] ?? trimmed;
  try {
    return { ok: true, value: JSON.parse(body) };
  } catch (error) {
    return { ok: false, message: error instanceof Error ? error.message : "not JSON" };
  }
}

export function validJson(input: ScoreInput): Verdict {
  const parsed = parseOutputJson(input.output);
  return parsed.ok ? verdict(true, "The output is valid JSON.") : verdict(false, `Not valid JSON: ${parsed.message}`);
}

// strict: unknown keywords are errors at save time, so a typo in the schema does not silently pass everything.
const ajv = new Ajv({ allErrors: false, strict: true });
const compiled = new Map<string, ValidateFunction>();

/** Compiles a JSON schema given as text: the validator, or why it cannot be used. */
export function compileSchema(
  schemaText: string,
): { ok: true; validate: ValidateFunction } | { ok: false; message: string } {
  if (schemaText.length > MAX_SCHEMA_CHARS)
    return { ok: false, message: `Keep the schema under ${MAX_SCHEMA_CHARS} characters.` };
  const hit = compiled.get(schemaText);
  if (hit) return { ok: true, validate: hit };
  let schema: unknown;
  try {
    schema = JSON.parse(schemaText);
  } catch {
    return { ok: false, message: "The schema is not valid JSON." };
  }
  if (!schema || typeof schema !== "object" || Array.isArray(schema))
    return { ok: false, message: "The schema must be a JSON object." };
  try {
    const validate = ajv.compile(schema);
    if (compiled.size > 100) compiled.clear();
    compiled.set(schemaText, validate);
    return { ok: true, validate };
  } catch (error) {
    return {
      ok: false,
      message: `Not a usable JSON schema: ${error instanceof Error ? error.message : String(error)}`,
    };
  }
}

export function matchesJsonSchema(input: ScoreInput, options: { schema: string }): Verdict {
  const schema = compileSchema(options.schema);
  if (!schema.ok) return verdict(false, schema.message);
  const parsed = parseOutputJson(input.output);
  if (!parsed.ok) return verdict(false, `Not valid JSON: ${parsed.message}`);
  if (schema.validate(parsed.value)) return verdict(true, "The output matches the JSON schema.");
  const first = schema.validate.errors?.[0];
  return verdict(
    false,
    `Does not match the schema: ${first ? `${first.instancePath || "/"} ${first.message ?? ""}`.trim() : "invalid"}`,
  );
}
