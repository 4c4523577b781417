import { Skeleton } from "@/components/ui/card";

export default function UserLoading() {
  return (
    <div className="space-y-4" aria-busy="true" aria-label="Loading user">
      <Skeleton className="h-8 w-72" />
      <div className="grid gap-6 lg:grid-cols-2">
        <Skeleton className="h-48" />
        <Skeleton className="h-48" />
      </div>
    </div>
  );
}
