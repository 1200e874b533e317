// The console's second step before a destructive action, in place of the row's buttons: the question,
// a danger button that names what goes, and "Keep". One group, so a screen reader announces it as one.
import type { ComponentChildren } from 'preact';

export interface ConfirmInlineProps {
  /** The group's accessible name, e.g. "Confirm deleting report.pdf". */
  label: string;
  question: ComponentChildren;
  /** The danger button's text, naming what goes. */
  confirmText: ComponentChildren;
  busy: boolean;
  onConfirm: () => void;
  onKeep: () => void;
}

export function ConfirmInline({ label, question, confirmText, busy, onConfirm, onKeep }: ConfirmInlineProps) {
  return (
    <span class="actions" role="group" aria-label={label}>
      <span>{question}</span>
      <button type="button" class="button-danger" disabled={busy} onClick={onConfirm}>
        {confirmText}
      </button>
      <button type="button" class="button-secondary" onClick={onKeep}>
        Keep
      </button>
    </span>
  );
}
