"use client";

import type { ButtonHTMLAttributes } from "react";
import { useFormStatus } from "react-dom";
import { buttonClass, type ButtonVariant } from "@/components/ui/button-styles";

export { buttonClass, type ButtonVariant } from "@/components/ui/button-styles";

/** A submit button that shows the form's pending state and cannot be double-submitted. */
export function SubmitButton({
  children,
  pendingLabel,
  variant = "primary",
  className = "",
  ...rest
}: ButtonHTMLAttributes<HTMLButtonElement> & { pendingLabel?: string; variant?: ButtonVariant }) {
  const { pending } = useFormStatus();
  return (
    <button
      type="submit"
      className={`${buttonClass(variant)} ${className}`}
      disabled={pending || rest.disabled}
      aria-disabled={pending}
      {...rest}
    >
      {pending ? (
        <>
          <span
            className="h-3 w-3 animate-spin rounded-full border-2 border-current border-t-transparent"
            aria-hidden
          />
          {pendingLabel ?? "Saving…"}
        </>
      ) : (
        children
      )}
    </button>
  );
}
