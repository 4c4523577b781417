import { Skeleton } from "@/components/ui/card";

export default function Loading() {
  return (
    <div className="space-y-4" aria-busy="true" aria-label="Loading providers">
      <Skeleton className="h-8 w-48" />
      <Skeleton className="h-48" />
    </div>
  );
}
