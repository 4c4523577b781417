"use client";

import { useEffect, useRef, useState, type ReactNode } from "react";
import { buttonClass, type ButtonVariant } from "@/components/ui/button";

/**
 * A button that opens a modal <dialog> holding the confirming form. The native dialog traps
 * focus, closes on Escape and returns focus to the button, so it works from the keyboard.
 */
export function ConfirmDialog({
  trigger,
  title,
  triggerVariant = "danger",
  children,
}: {
  trigger: string;
  title: string;
  triggerVariant?: ButtonVariant;
  children: (close: () => void) => ReactNode;
}) {
  const dialog = useRef<HTMLDialogElement>(null);
  const [open, setOpen] = useState(false);
  const close = () => setOpen(false);
  useEffect(() => {
    const element = dialog.current;
    if (open && !element?.open) element?.showModal();
    if (!open && element?.open) element.close();
  }, [open]);
  const titleId = `${trigger.replace(/\W+/g, "-").toLowerCase()}-title`;
  return (
    <>
      <button type="button" className={buttonClass(triggerVariant)} onClick={() => setOpen(true)}>
        {trigger}
      </button>
      <dialog
        ref={dialog}
        aria-labelledby={titleId}
        onClose={close}
        className="m-auto w-full max-w-md rounded-lg p-0 shadow-xl ring-1 ring-slate-200 backdrop:bg-slate-900/40"
      >
        <div className="space-y-4 p-6">
          <h2 id={titleId} className="text-lg font-semibold text-slate-900">
            {title}
          </h2>
          {/* Mounted only while open, so each opening starts with a fresh form. */}
          {open ? children(close) : null}
        </div>
      </dialog>
    </>
  );
}

export function CancelButton({ onClick }: { onClick: () => void }) {
  return (
    <button type="button" className={buttonClass("secondary")} onClick={onClick}>
      Cancel
    </button>
  );
}
