// JSON Schema (what OpenAI callers send for tools and response_format) -> Gemini's Schema object,
// an OpenAPI 3.0 subset that refuses unknown keys with a 400. Unknown keys are dropped, local $refs
// are inlined, and `type: ["x", "null"]` becomes `nullable`, so ordinary zod/pydantic schemas pass.
import { isRecord } from "../openai/errors";

const KEPT_KEYS = new Set([
  "format",
  "title",
  "description",
  "nullable",
  "enum",
  "maxItems",
  "minItems",
  "required",
  "minProperties",
  "maxProperties",
  "minLength",
  "maxLength",
  "pattern",
  "example",
  "propertyOrdering",
  "default",
  "minimum",
  "maximum",
]);

// Inlining stops here: a schema nested deeper through $refs is recursive, which Gemini cannot express.
const MAX_REF_DEPTH = 16;

type Schema = Record<string, unknown>;
export type SchemaResult = { ok: true; value: Schema } | { ok: false; reason: string };

function resolveRef(ref: string, root: Schema): Schema | null {
  const match = /^#\/(\$defs|definitions)\/(.+)$/.exec(ref);
  if (!match?.[1] || !match[2]) return null;
  const defs = root[match[1]];
  const target = isRecord(defs) ? defs[match[2].replace(/~1/g, "/").replace(/~0/g, "~")] : undefined;
  return isRecord(target) ? target : null;
}

function convertType(type: unknown, out: Schema): void {
  if (typeof type === "string") {
    out.type = type;
    return;
  }
  if (!Array.isArray(type)) return;
  const types = type.filter((entry): entry is string => typeof entry === "string" && entry !== "null");
  if (types.length !== type.length) out.nullable = true;
  if (types.length === 1) out.type = types[0];
  else if (types.length > 1) out.anyOf = types.map((entry) => ({ type: entry }));
}

function convert(node: Schema, root: Schema, depth: number): SchemaResult {
  if (depth > MAX_REF_DEPTH) return { ok: false, reason: "the schema is recursive or nested too deeply" };
  if (typeof node.$ref === "string") {
    const target = resolveRef(node.$ref, root);
    if (!target) return { ok: false, reason: `cannot resolve $ref ${node.$ref}` };
    return convert(target, root, depth + 1);
  }
  const out: Schema = {};
  convertType(node.type, out);
  for (const [key, value] of Object.entries(node)) if (KEPT_KEYS.has(key)) out[key] = value;
  if (node.const !== undefined && out.enum === undefined) out.enum = [node.const];
  if (Array.isArray(out.enum)) out.enum = out.enum.map(String);
  if (isRecord(node.properties)) {
    const properties: Schema = {};
    for (const [name, child] of Object.entries(node.properties)) {
      if (!isRecord(child)) continue;
      const converted = convert(child, root, depth + 1);
      if (!converted.ok) return converted;
      properties[name] = converted.value;
    }
    out.properties = properties;
  }
  if (isRecord(node.items)) {
    const items = convert(node.items, root, depth + 1);
    if (!items.ok) return items;
    out.items = items.value;
  }
  const alternatives = Array.isArray(node.anyOf) ? node.anyOf : Array.isArray(node.oneOf) ? node.oneOf : null;
  if (alternatives) {
    const converted: Schema[] = [];
    for (const alternative of alternatives) {
      if (!isRecord(alternative)) continue;
      const result = convert(alternative, root, depth + 1);
      if (!result.ok) return result;
      converted.push(result.value);
    }
    out.anyOf = converted;
  }
  return { ok: true, value: out };
}

export function toGeminiSchema(schema: Schema): SchemaResult {
  return convert(schema, schema, 0);
}

// Gemini refuses an OBJECT parameter schema with no properties ("should be non-empty"), which is
// what OpenAI tools without arguments send; such a tool is declared without parameters.
export function hasProperties(schema: Schema | undefined): schema is Schema {
  return schema !== undefined && isRecord(schema.properties) && Object.keys(schema.properties).length > 0;
}
