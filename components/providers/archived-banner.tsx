const day = new Intl.DateTimeFormat("en-GB", { dateStyle: "medium", timeZone: "UTC" });

export function ArchivedBanner({ archivedAt, canWrite }: { archivedAt: Date; canWrite: boolean }) {
  return (
    <div role="status" className="rounded-md bg-slate-100 px-4 py-3 text-sm text-slate-700 ring-1 ring-slate-200">
      Archived on {day.format(archivedAt)}: revoked keys or usage still refer to this provider, so it was kept for the
      history instead of being deleted. It is disabled, hidden from the provider list and read-only.
      {canWrite ? " Restore it to change it again." : ""}
    </div>
  );
}
