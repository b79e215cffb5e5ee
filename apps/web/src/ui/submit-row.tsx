import type { ComponentChildren } from 'preact';

/**
 * A form's primary submit button, with any other buttons after it; while `busy` is given (a note of
 * what the worker is doing), that note stands in the buttons' place so the form cannot be sent twice.
 */
export function SubmitRow({ label, busy, disabled, children }: { label: string; busy?: ComponentChildren; disabled?: boolean; children?: ComponentChildren }) {
  if (busy) return <>{busy}</>;
  return (
    <div class="actions">
      <button type="submit" class="primary" disabled={disabled}>
        {label}
      </button>
      {children}
    </div>
  );
}
