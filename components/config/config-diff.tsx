import type { ConfigChange } from "@/lib/config/diff";

/** One version's changes against the version before it, as "field: old → new". */
export function ConfigDiff({ changes }: { changes: ConfigChange[] }) {
  if (changes.length === 0) return <p className="text-sm text-slate-500">No field changed.</p>;
  return (
    <ul className="space-y-1 text-sm" aria-label="Changes">
      {changes.map((change) => (
        <li key={change.field}>
          <span className="font-medium text-slate-700">{change.label}:</span>{" "}
          <del className="text-slate-500 decoration-red-400">{change.beforeText}</del>
          {" → "}
          <ins className="font-medium text-slate-900 no-underline">{change.afterText}</ins>
        </li>
      ))}
    </ul>
  );
}
