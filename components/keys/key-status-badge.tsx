import { Badge } from "@/components/ui/card";
import { KEY_STATUS_LABEL } from "@/lib/keys/format";

const TONE = { ACTIVE: "green", RETIRING: "amber", REVOKED: "slate", EXPIRED: "red" } as const;

export function KeyStatusBadge({
  status,
  undecryptable,
}: {
  status: keyof typeof KEY_STATUS_LABEL;
  undecryptable?: boolean;
}) {
  return (
    <span className="inline-flex flex-wrap gap-1">
      <Badge tone={TONE[status]}>{KEY_STATUS_LABEL[status]}</Badge>
      {undecryptable ? <Badge tone="red">Undecryptable</Badge> : null}
    </span>
  );
}

export function formatDate(date: Date | null, withTime = false): string {
  if (!date) return "—";
  const iso = date.toISOString();
  return withTime ? `${iso.slice(0, 10)} ${iso.slice(11, 16)} UTC` : iso.slice(0, 10);
}
