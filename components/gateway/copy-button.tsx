"use client";

import { useState } from "react";
import { buttonClass } from "@/components/ui/button-styles";

/** Copies text to the clipboard; says so (to screen readers too) or says to copy by hand. */
export function CopyButton({ text, label = "Copy" }: { text: string; label?: string }) {
  const [status, setStatus] = useState<"idle" | "copied" | "failed">("idle");
  async function copy() {
    try {
      await navigator.clipboard.writeText(text);
      setStatus("copied");
    } catch {
      // No clipboard access (plain http on another host, a denied permission): select by hand.
      setStatus("failed");
    }
  }
  return (
    <span className="inline-flex items-center gap-2">
      <button type="button" onClick={copy} className={buttonClass("secondary")}>
        {label}
      </button>
      <span role="status" className="text-xs text-slate-600">
        {status === "copied" ? "Copied." : status === "failed" ? "Could not copy: select the text and copy it." : ""}
      </span>
    </span>
  );
}
