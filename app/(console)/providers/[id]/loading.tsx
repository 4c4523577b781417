import { Skeleton } from "@/components/ui/card";

export default function Loading() {
  return (
    <div className="space-y-6" aria-busy="true" aria-label="Loading provider">
      <Skeleton className="h-8 w-64" />
      <Skeleton className="h-40" />
      <Skeleton className="h-64" />
    </div>
  );
}
