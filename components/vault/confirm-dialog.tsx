import type { ComponentChildren } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import { vaultErrorText } from './vault-error-text';
import './vault.css';

interface ConfirmDialogProps {
  /** Unique on the page: the dialog's title and description are found by ids built from it. */
  id: string;
  open: boolean;
  title: string;
  /** What will be lost, in plain words. */
  children: ComponentChildren;
  confirmLabel: string;
  /** Runs on confirm; the dialog stays open and shows the error if it throws. */
  onConfirm: () => Promise<void>;
  /** Closed without confirming (Cancel, Escape). */
  onCancel: () => void;
}

/** A modal confirmation for a destructive action. The safe choice (Cancel) has the focus; Escape cancels. */
export function ConfirmDialog({ id, open, title, children, confirmLabel, onConfirm, onCancel }: ConfirmDialogProps) {
  const dialog = useRef<HTMLDialogElement>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | undefined>();

  useEffect(() => {
    const element = dialog.current;
    if (!element) return;
    if (open && !element.open) {
      setError(undefined);
      element.showModal();
    } else if (!open && element.open) element.close();
  }, [open]);

  const confirm = async () => {
    setBusy(true);
    try {
      await onConfirm();
    } catch (e) {
      setError(vaultErrorText(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <dialog
      ref={dialog}
      class="vault-dialog"
      aria-labelledby={`${id}-title`}
      aria-describedby={`${id}-description`}
      onCancel={(event) => {
        // Escape: close through our state, so `open` stays the truth.
        event.preventDefault();
        if (!busy) onCancel();
      }}
    >
      <h2 id={`${id}-title`}>{title}</h2>
      <div id={`${id}-description`}>{children}</div>
      <p class="error" role="alert">
        {error}
      </p>
      <div class="vault-actions vault-dialog-actions">
        <button type="button" autoFocus disabled={busy} onClick={onCancel}>
          Cancel
        </button>
        <button type="button" class="vault-danger" disabled={busy} onClick={() => void confirm()}>
          {confirmLabel}
        </button>
      </div>
    </dialog>
  );
}
