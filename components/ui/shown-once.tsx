/** A secret in the one action answer that holds it (a new token, a signing secret): never in a page. */
export function ShownOnce({ label, value, testId }: { label: string; value: string; testId: string }) {
  return (
    <div className="space-y-1 rounded-md bg-amber-50 p-3 ring-1 ring-amber-200">
      <p className="text-sm font-medium text-amber-900">{label}</p>
      <code
        data-testid={testId}
        className="block break-all rounded bg-white px-2 py-1 text-xs text-slate-900 ring-1 ring-amber-200"
      >
        {value}
      </code>
    </div>
  );
}
