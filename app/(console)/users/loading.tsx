import { Skeleton } from "@/components/ui/card";

export default function UsersLoading() {
  return (
    <div className="space-y-4" aria-busy="true" aria-label="Loading users">
      <Skeleton className="h-8 w-48" />
      <Skeleton className="h-64" />
      <Skeleton className="h-48" />
    </div>
  );
}
