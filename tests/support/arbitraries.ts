// fast-check generators for hostile input, derived from an action's zod schema where possible:
// every field gets values that may pass validation (so handlers run) mixed with values that must
// not (wrong types, huge or odd strings, injection fragments, prototype-pollution keys).
import fc from "fast-check";
import type { z } from "zod";

const HUGE = "A".repeat(100_000);

/** Strings nobody on the team would type: injection fragments, control and bidi characters, sizes. */
export const HOSTILE_STRINGS = [
  "",
  " ",
  "\u0000",
  "a\u0000b",
  "\u202Egnp.exe",
  "\u200B\uFEFF",
  "😀".repeat(500),
  "𝕳𝖊𝖑𝖑𝖔",
  "ﷺ",
  "\uD800",
  "'; DROP TABLE users;--",
  "' OR '1'='1",
  "1; SELECT pg_sleep(5)",
  "$1",
  "%",
  "_",
  "\\",
  "E'\\x00'",
  "<img src=x onerror=alert(1)>",
  "<script>alert(1)</script>",
  "javascript:alert(1)",
  '"><svg onload=alert(1)>',
  '=HYPERLINK("http://evil.example")',
  "+1+1",
  "-2+3",
  "@SUM(A1)",
  "../../etc/passwd",
  "%00",
  "{{7*7}}",
  "${7*7}",
  "__proto__",
  "constructor",
  "prototype",
  "null",
  "undefined",
  "NaN",
  "-1",
  "1e309",
  "0x10",
  "2026-13-45",
  "9999-12-31",
  HUGE,
];

export const HOSTILE_SCALARS: unknown[] = [
  null,
  undefined,
  true,
  false,
  0,
  -0,
  -1,
  1.5,
  Number.NaN,
  Number.POSITIVE_INFINITY,
  Number.NEGATIVE_INFINITY,
  Number.MAX_SAFE_INTEGER + 2,
  1e308,
  -1e308,
  10n,
  Symbol("s"),
  () => "fn",
  new Date(Number.NaN),
  new Date(0),
];

/** Objects whose own keys try to reach Object.prototype when merged or spread naively. */
export function pollutingObjects(): unknown[] {
  return [
    JSON.parse('{"__proto__":{"polluted":"yes"}}'),
    JSON.parse('{"constructor":{"prototype":{"polluted":"yes"}}}'),
    { prototype: { polluted: "yes" } },
    Object.create(null),
    [],
    ["a", "b"],
    [[[]]],
    { toString: "x", valueOf: 1, hasOwnProperty: "x" },
  ];
}

export const hostileValue: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom(...HOSTILE_STRINGS) },
  { weight: 3, arbitrary: fc.constantFrom(...HOSTILE_SCALARS) },
  { weight: 2, arbitrary: fc.nat({ max: pollutingObjects().length - 1 }).map((index) => pollutingObjects()[index]) },
  { weight: 2, arbitrary: fc.string({ unit: "binary", maxLength: 60 }) },
  { weight: 1, arbitrary: fc.anything({ maxDepth: 2, withNullPrototype: true, withBigInt: true, withDate: true }) },
);

type Def = { type: string; [key: string]: unknown };
const defOf = (schema: unknown): Def => (schema as { _zod: { def: Def } })._zod.def;

/** The object shape behind optional/default/pipe/preprocess wrappers, or null if the schema is not an object. */
export function shapeOf(schema: z.ZodType): Record<string, z.ZodType> | null {
  const def = defOf(schema);
  if (def.type === "object") return def.shape as Record<string, z.ZodType>;
  if (def.type === "pipe") {
    const inner = defOf(def.in).type === "transform" ? def.out : def.in;
    return shapeOf(inner as z.ZodType);
  }
  if (def.type === "optional" || def.type === "default" || def.type === "nullable" || def.type === "readonly")
    return shapeOf(def.innerType as z.ZodType);
  return null;
}

const VALIDISH_STRINGS = [
  "on",
  "true",
  "false",
  "1",
  "0",
  "2026-01-01",
  "2026-06-30T12:00",
  "0.5",
  "12.000001",
  "https://api.example.com/v1",
  "openai",
  "ADMIN",
  "a@example.test",
  "Correct horse battery 9",
];

/** Values shaped like what the field accepts; `ids` are real row ids so handlers reach their queries. */
export function validish(schema: z.ZodType, ids: readonly string[], depth = 0): fc.Arbitrary<unknown> {
  const def = defOf(schema);
  switch (def.type) {
    case "optional":
    case "default":
    case "nullable":
    case "readonly":
    case "catch":
    case "prefault":
      return validish(def.innerType as z.ZodType, ids, depth);
    case "pipe": {
      const inner = defOf(def.in).type === "transform" ? def.out : def.in;
      return validish(inner as z.ZodType, ids, depth);
    }
    case "enum":
      return fc.constantFrom(...Object.values(def.entries as Record<string, string>));
    case "literal":
      return fc.constantFrom(...(def.values as unknown[]));
    case "boolean":
      return fc.oneof(fc.boolean(), fc.constantFrom("on", "true", "false"));
    case "number":
    case "int":
      return fc.oneof(fc.integer({ min: -5, max: 2000 }), fc.double({ noNaN: false }), fc.constantFrom("5", "60", "0"));
    case "array":
      return depth > 2
        ? fc.constant([])
        : fc.array(validish(def.element as z.ZodType, ids, depth + 1), { maxLength: 4 });
    case "union":
      return depth > 2
        ? fc.string()
        : fc.oneof(...(def.options as z.ZodType[]).map((option) => validish(option, ids, depth + 1)));
    case "object": {
      if (depth > 2) return fc.constant({});
      const shape = def.shape as Record<string, z.ZodType>;
      return fc.record(
        Object.fromEntries(Object.entries(shape).map(([key, field]) => [key, validish(field, ids, depth + 1)])),
      );
    }
    case "string":
      if (def.format === "uuid" || def.format === "guid")
        return ids.length ? fc.oneof(fc.constantFrom(...ids), fc.uuid()) : fc.uuid();
      if (def.format === "email") return fc.emailAddress();
      return fc.oneof(fc.string({ maxLength: 40 }), fc.constantFrom(...VALIDISH_STRINGS));
    default:
      return fc.oneof(fc.string({ maxLength: 40 }), fc.constantFrom(...VALIDISH_STRINGS));
  }
}

const POLLUTION_KEYS = ["__proto__", "constructor", "prototype"] as const;

/** An object for the schema: each field valid-ish or hostile or missing, plus pollution keys sometimes. */
export function hostileObject(schema: z.ZodType, ids: readonly string[]): fc.Arbitrary<Record<string, unknown>> {
  const shape = shapeOf(schema) ?? {};
  const fields = Object.fromEntries(
    Object.entries(shape).map(([key, field]) => [
      key,
      fc.oneof({ weight: 3, arbitrary: validish(field, ids) }, { weight: 2, arbitrary: hostileValue }),
    ]),
  );
  return fc
    .tuple(fc.record(fields, { requiredKeys: [] }), fc.subarray([...POLLUTION_KEYS]), hostileValue)
    .map(([record, pollution, extra]) => {
      const out: Record<string, unknown> = { ...record };
      // Own properties named __proto__ need defineProperty; plain assignment would set the prototype.
      for (const key of pollution)
        Object.defineProperty(out, key, {
          value: { polluted: "yes" },
          enumerable: true,
          configurable: true,
          writable: true,
        });
      if (pollution.length) out.extra = extra;
      return out;
    });
}

/** The same object as a form would post it: strings, `x[]` lists, plus `$ACTION` keys and a file. */
export function toFormData(object: Record<string, unknown>): FormData {
  const form = new FormData();
  for (const [key, value] of Object.entries(object)) {
    if (Array.isArray(value)) for (const item of value) form.append(`${key}[]`, safeString(item));
    else if (value !== undefined) form.append(key, safeString(value));
  }
  form.append("$ACTION_ID_abc", "");
  form.append("upload", new Blob(["<script>"]), "x.html");
  return form;
}

function safeString(value: unknown): string {
  try {
    return typeof value === "string"
      ? value
      : typeof value === "symbol"
        ? value.toString()
        : (JSON.stringify(value) ?? String(value));
  } catch {
    return String(typeof value);
  }
}

/** Any input an action may receive: shaped objects, FormData, or outright garbage. */
export function actionInput(schema: z.ZodType, ids: readonly string[]): fc.Arbitrary<unknown> {
  const object = hostileObject(schema, ids);
  return fc.oneof(
    { weight: 5, arbitrary: object },
    { weight: 3, arbitrary: object.map(toFormData) },
    { weight: 2, arbitrary: hostileValue },
  );
}

// ---- Hostile values inside otherwise valid input ------------------------------------------------
// A value that is hostile on its own is mostly stopped by the first type check. To reach the
// refinements, transforms and the database behind them, each hostile value is put into one field
// of a record (or form) that is otherwise valid, and sent with valid credentials.

/** Values aimed at what comes after the type check: formats, ranges, PostgreSQL's limits. */
export const EDGE_VALUES: unknown[] = [
  // Timestamps and days: partial, year 0000, before 1970, past what PostgreSQL or Date can hold.
  "2026-11-20",
  "2026-11-20T10:15",
  "2026-11-20T10:15:00",
  "0000-01-01T00:00:00Z",
  "0000-01-01",
  "1969-12-31T23:59:59Z",
  "1900-01-01",
  "-000001-01-01T00:00:00Z",
  "+275760-09-13T00:00:00Z",
  "9999-12-31T23:59:59Z",
  "2026-02-29T00:00:00Z",
  "2026-11-20T10:15:00+23:59",
  "2026-11-20T10:15:00.123456789Z",
  // Text PostgreSQL refuses (NUL) or the UTF-8 encoder rewrites (lone surrogates), and whitespace.
  "a\u0000",
  "\u0000a",
  "x\uDC00",
  "\uD83D",
  "a ",
  " a",
  "\t",
  "\n",
  "a\r\n",
  // Numbers at and past the int4 / numeric column limits, and numbers as text.
  2_147_483_647,
  2_147_483_648,
  -2_147_483_649,
  1e21,
  9_999_999_999,
  0.1,
  "2147483648",
  "1e400",
  "99999999999999999999.99",
  "1000000000000.000000",
  "0.0000001",
  "-0",
  " 5 ",
];

/** Every value the field sweeps try: hostile strings, scalars, pollution objects and the edge values. */
export function hostileFieldValues(): unknown[] {
  return [...HOSTILE_STRINGS, ...HOSTILE_SCALARS, ...pollutingObjects(), ...EDGE_VALUES];
}

/** A value survives JSON (what an HTTP client can send): no undefined, symbols, functions, bigints. */
export function asJson(value: unknown): { ok: true; value: unknown } | { ok: false } {
  try {
    const text = JSON.stringify(value);
    return text === undefined ? { ok: false } : { ok: true, value: JSON.parse(text) as unknown };
  } catch {
    return { ok: false };
  }
}

export type FieldVariant = { field: string; value: unknown; label: string; input: unknown };

function describeValue(value: unknown): string {
  if (typeof value === "string")
    return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…(${value.length})` : value);
  if (typeof value === "symbol" || typeof value === "function" || typeof value === "bigint")
    return `${typeof value} ${String(value).slice(0, 20)}`;
  const json = asJson(value);
  if (json.ok) return JSON.stringify(json.value).slice(0, 60);
  try {
    return String(value);
  } catch {
    return Object.prototype.toString.call(value); // a null-prototype object has no toString
  }
}

/**
 * `valid` with one field replaced, for every field × every value (and each field left out). A
 * non-object `valid` (a schema for one value) gets each value in its place. Pollution keys are
 * set as own properties, the way JSON.parse makes them.
 */
export function eachFieldHostile(valid: unknown, values: readonly unknown[] = hostileFieldValues()): FieldVariant[] {
  if (!valid || typeof valid !== "object" || Array.isArray(valid)) {
    return values.map((value) => ({
      field: "(value)",
      value,
      label: `(value) = ${describeValue(value)}`,
      input: value,
    }));
  }
  const base = valid as Record<string, unknown>;
  const variants: FieldVariant[] = [];
  for (const field of Object.keys(base)) {
    for (const value of values) {
      const input: Record<string, unknown> = { ...base };
      Object.defineProperty(input, field, { value, enumerable: true, configurable: true, writable: true });
      variants.push({ field, value, label: `${field} = ${describeValue(value)}`, input });
    }
    const without = { ...base };
    delete without[field];
    variants.push({ field, value: undefined, label: `${field} missing`, input: without });
  }
  for (const key of POLLUTION_KEYS) {
    const input: Record<string, unknown> = { ...base };
    Object.defineProperty(input, key, {
      value: { polluted: "yes" },
      enumerable: true,
      configurable: true,
      writable: true,
    });
    variants.push({ field: key, value: { polluted: "yes" }, label: `extra ${key}`, input });
  }
  return variants;
}

/** Random exploration beside the fixed sweep (HOSTILE_SEED replays it): one field of `valid` made hostile. */
export function hostileFieldOf(valid: Record<string, unknown>): fc.Arbitrary<FieldVariant> {
  const fields = Object.keys(valid);
  return fc
    .tuple(
      fc.constantFrom(...fields),
      fc.oneof(
        { weight: 3, arbitrary: hostileValue },
        { weight: 2, arbitrary: fc.constantFrom(...EDGE_VALUES) },
        { weight: 1, arbitrary: fc.string({ unit: "grapheme-composite", maxLength: 30 }) },
      ),
    )
    .map(([field, value]) => {
      const input: Record<string, unknown> = { ...valid };
      Object.defineProperty(input, field, { value, enumerable: true, configurable: true, writable: true });
      return { field, value, label: `${field} = ${describeValue(value)}`, input };
    });
}

/**
 * Problems PostgreSQL (or the UTF-8 encoder) would have with a value a schema accepted: NUL or a
 * lone surrogate in text, a non-finite number, a Date that is invalid or outside years 1..9999.
 * Empty when the parsed output is safe to store. Walks objects and arrays.
 */
export function unstorable(value: unknown, path = "", seen = new Set<unknown>()): string[] {
  if (typeof value === "string") {
    const problems: string[] = [];
    if (value.includes("\u0000")) problems.push(`${path || "(value)"}: NUL in text`);
    if (/[\uD800-\uDFFF]/u.test(value)) problems.push(`${path || "(value)"}: lone surrogate in text`);
    return problems;
  }
  if (typeof value === "number") return Number.isFinite(value) ? [] : [`${path || "(value)"}: ${value}`];
  if (value instanceof Date) {
    const year = value.getUTCFullYear();
    return Number.isNaN(value.getTime()) || year < 1 || year > 9999
      ? [`${path || "(value)"}: date ${String(value)}`]
      : [];
  }
  if (!value || typeof value !== "object" || seen.has(value)) return [];
  seen.add(value);
  return Object.entries(value).flatMap(([key, inner]) => unstorable(inner, path ? `${path}.${key}` : key, seen));
}
