// Audit details record what changed as { field: { before, after } }; values are made
// JSON-friendly first so Decimals and Dates read as text in the audit log.

export type FieldChange = { before: unknown; after: unknown };

function plain(value: unknown): unknown {
  if (value instanceof Date) return value.toISOString();
  if (Array.isArray(value)) return value.map(plain);
  if (value && typeof value === "object" && "toFixed" in value && typeof value.toString === "function")
    return value.toString();
  return value;
}

export function snapshot<T extends Record<string, unknown>>(record: T): Record<string, unknown> {
  return Object.fromEntries(Object.entries(record).map(([field, value]) => [field, plain(value)]));
}

/** The fields whose values differ between two records, compared by their JSON form. */
export function changedFields(
  before: Record<string, unknown>,
  after: Record<string, unknown>,
): Record<string, FieldChange> {
  const changes: Record<string, FieldChange> = {};
  for (const field of Object.keys(after)) {
    const was = plain(before[field]);
    const now = plain(after[field]);
    if (JSON.stringify(was) !== JSON.stringify(now)) changes[field] = { before: was ?? null, after: now ?? null };
  }
  return changes;
}
