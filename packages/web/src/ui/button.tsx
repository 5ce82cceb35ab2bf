import type { ButtonHTMLAttributes } from "react";

export interface ButtonProps extends ButtonHTMLAttributes<HTMLButtonElement> {
  readonly busy?: boolean;
  readonly variant?: "primary" | "secondary" | "danger" | "quiet";
}

/**
 * While busy the button stays focusable (aria-disabled, not disabled) so keyboard focus isn't lost,
 * and clicks are ignored.
 */
export function Button({ busy = false, variant = "secondary", className, onClick, type = "button", children, ...props }: ButtonProps) {
  return (
    <button
      {...props}
      type={type}
      className={["button", `button-${variant}`, className].filter(Boolean).join(" ")}
      aria-busy={busy || undefined}
      aria-disabled={busy || props["aria-disabled"] || undefined}
      onClick={(event) => {
        if (busy) {
          event.preventDefault();
          return;
        }
        onClick?.(event);
      }}
    >
      {busy && <span className="spinner" aria-hidden="true" />}
      {children}
    </button>
  );
}
