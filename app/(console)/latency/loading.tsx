import { Skeleton } from "@/components/ui/card";

export default function Loading() {
  return (
    <div className="space-y-6" aria-busy="true" aria-label="Loading latency">
      <Skeleton className="h-20" />
      <Skeleton className="h-96" />
      <Skeleton className="h-96" />
    </div>
  );
}
