import type { Prisma } from "@/lib/generated/prisma/client";

// Details are whatever the writer recorded, including text people typed (names, descriptions).
// They are rendered as JSON text only, which React escapes; never as HTML.
export function AuditDetails({ details }: { details: Prisma.JsonValue }) {
  const empty =
    details === null || (typeof details === "object" && !Array.isArray(details) && Object.keys(details).length === 0);
  if (empty) return <span className="text-slate-400">—</span>;
  return (
    <pre className="max-w-xl whitespace-pre-wrap break-all font-mono text-xs text-slate-700">
      {JSON.stringify(details, null, 1)}
    </pre>
  );
}
