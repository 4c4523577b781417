"use client";

import NextLink from "next/link";
import { useState, type ComponentProps } from "react";

/**
 * `next/link` that prefetches on intent instead of on sight. By default every link prefetches
 * its route as soon as it scrolls into view, and on this console's pages (all rendered per
 * request) each prefetch is a full server render: one visit to the providers page made 36
 * requests and cost the server ~0.5 s of CPU. Here a link prefetches once someone points at,
 * focuses or touches it (Next's documented hover-triggered pattern), so a page view costs one
 * render plus one per link a person actually reaches for. `prefetch={false}` still disables it.
 */
export default function Link({
  prefetch,
  onMouseEnter,
  onFocus,
  onTouchStart,
  ...props
}: ComponentProps<typeof NextLink>) {
  const [intent, setIntent] = useState(false);
  return (
    <NextLink
      {...props}
      prefetch={prefetch === false || !intent ? false : (prefetch ?? null)}
      onMouseEnter={(event) => {
        setIntent(true);
        onMouseEnter?.(event);
      }}
      onFocus={(event) => {
        setIntent(true);
        onFocus?.(event);
      }}
      onTouchStart={(event) => {
        setIntent(true);
        onTouchStart?.(event);
      }}
    />
  );
}
