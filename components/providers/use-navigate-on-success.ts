"use client";

import { useEffect } from "react";
import { useRouter } from "next/navigation";
import type { ActionResult } from "@/lib/actions/result";

/** After a successful action, moves to the page the result points at (e.g. the new record). */
export function useNavigateOnSuccess<T>(
  state: ActionResult<T> | undefined,
  target: (data: T | undefined) => string | null,
): void {
  const router = useRouter();
  useEffect(() => {
    if (!state?.ok) return;
    const href = target(state.data);
    if (href) router.push(href);
    // Only a new result should navigate; `target` is a fresh closure each render.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [state, router]);
}
