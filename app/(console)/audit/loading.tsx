import { Skeleton } from "@/components/ui/card";

export default function AuditLoading() {
  return (
    <div className="space-y-4" aria-busy="true" aria-label="Loading the audit log">
      <Skeleton className="h-8 w-48" />
      <Skeleton className="h-24" />
      <Skeleton className="h-96" />
    </div>
  );
}
