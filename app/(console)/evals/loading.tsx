import { Skeleton } from "@/components/ui/card";

export default function Loading() {
  return (
    <div className="space-y-6" aria-busy="true" aria-label="Loading evaluations">
      <Skeleton className="h-12 w-80" />
      <Skeleton className="h-96" />
    </div>
  );
}
