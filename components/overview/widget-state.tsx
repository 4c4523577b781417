import { unstable_rethrow } from "next/navigation";
import { Card } from "@/components/ui/card";
import { logger } from "@/lib/log/logger";

// A failed read in one overview widget shows that widget's error card instead of taking the
// whole overview down to the segment's error page. Loading is the page's <Suspense> skeleton.

export type WidgetData<T> = { ok: true; value: T } | { ok: false };

export async function loadWidgetData<T>(widget: string, load: () => Promise<T>): Promise<WidgetData<T>> {
  try {
    return { ok: true, value: await load() };
  } catch (error) {
    // Redirects, notFound and dynamic-rendering signals are Next's control flow, not failures.
    unstable_rethrow(error);
    logger.error("overview widget failed", { widget, error });
    return { ok: false };
  }
}

export function WidgetError({ title, testId }: { title: string; testId: string }) {
  return (
    <Card title={title}>
      <p role="alert" className="text-sm text-red-700" data-testid={testId}>
        Could not be loaded just now (the error was logged). Reload the page to try again.
      </p>
    </Card>
  );
}
