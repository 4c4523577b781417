import {
  CONFIG_FIELDS,
  FIELD_META,
  formatConfigValue,
  type ConfigField,
  type ConfigSnapshot,
} from "@/lib/config/fields";

// What changed between two versions of one target, field by field. Pure, so the history list,
// the audit details and the tests all agree on what "changed" means.

export type ConfigChange = {
  field: ConfigField;
  label: string;
  before: number | string | null;
  after: number | string | null;
  /** Display forms, e.g. "0.7 → 1" or "not set → $250.00". */
  beforeText: string;
  afterText: string;
};

/** Changes from `previous` to `next`; a first version (no previous) lists every field it sets. */
export function diffConfig(previous: ConfigSnapshot | null, next: ConfigSnapshot): ConfigChange[] {
  const changes: ConfigChange[] = [];
  for (const field of CONFIG_FIELDS) {
    const before = previous ? previous[field] : null;
    const after = next[field];
    if (before === after) continue;
    changes.push({
      field,
      label: FIELD_META[field].label,
      before,
      after,
      beforeText: formatConfigValue(field, before),
      afterText: formatConfigValue(field, after),
    });
  }
  return changes;
}

export function changedFieldNames(previous: ConfigSnapshot | null, next: ConfigSnapshot): ConfigField[] {
  return diffConfig(previous, next).map((change) => change.field);
}

/** For audit details: { field: { before, after } } with raw values (budgets stay strings). */
export function changesForAudit(
  changes: ConfigChange[],
): Record<string, { before: number | string | null; after: number | string | null }> {
  return Object.fromEntries(changes.map((change) => [change.field, { before: change.before, after: change.after }]));
}
