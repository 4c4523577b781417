import { Skeleton } from "@/components/ui/card";

export default function Loading() {
  return (
    <div className="max-w-2xl space-y-4" aria-busy="true" aria-label="Loading form">
      <Skeleton className="h-8 w-64" />
      <Skeleton className="h-96" />
    </div>
  );
}
