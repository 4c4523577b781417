import { Skeleton } from "@/components/ui/card";

export default function Loading() {
  return (
    <div className="space-y-6" aria-busy="true" aria-label="Loading configuration">
      <Skeleton className="h-8 w-64" />
      <Skeleton className="h-12" />
      <div className="grid gap-6 lg:grid-cols-2">
        <Skeleton className="h-72" />
        <Skeleton className="h-72" />
      </div>
      <Skeleton className="h-64" />
    </div>
  );
}
