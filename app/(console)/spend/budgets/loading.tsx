import { Skeleton } from "@/components/ui/card";

export default function Loading() {
  return <Skeleton className="h-96" />;
}
