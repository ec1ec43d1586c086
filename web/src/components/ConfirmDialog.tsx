/**
 * A modal confirmation (the native <dialog>: focus is trapped, Escape cancels). With `typeToConfirm`
 * the confirm button stays disabled until that exact text is typed.
 */
import { useEffect, useRef, useState, type ReactNode } from 'react';

export interface ConfirmProps {
  title: string;
  children?: ReactNode;
  confirmLabel: string;
  danger?: boolean;
  typeToConfirm?: string;
  onConfirm(): void;
  onCancel(): void;
}

export function ConfirmDialog(props: ConfirmProps) {
  const ref = useRef<HTMLDialogElement>(null);
  const [typed, setTyped] = useState('');
  useEffect(() => {
    const dialog = ref.current;
    if (dialog && !dialog.open) dialog.showModal();
  }, []);
  const allowed = props.typeToConfirm === undefined || typed === props.typeToConfirm;
  return (
    <dialog
      ref={ref}
      className="confirm"
      aria-labelledby="confirm-title"
      onCancel={(event) => {
        event.preventDefault();
        props.onCancel();
      }}
    >
      <form
        method="dialog"
        onSubmit={(event) => {
          event.preventDefault();
          if (allowed) props.onConfirm();
        }}
      >
        <h2 id="confirm-title">{props.title}</h2>
        {props.children}
        {props.typeToConfirm !== undefined && (
          <label className="field">
            <span>
              Type <code>{props.typeToConfirm}</code> to confirm
            </span>
            <input
              autoFocus
              value={typed}
              onChange={(e) => setTyped(e.target.value)}
              aria-label="confirmation"
            />
          </label>
        )}
        <div className="buttons">
          <button type="button" onClick={props.onCancel}>
            Cancel
          </button>
          <button
            type="submit"
            className={props.danger ? 'danger' : 'primary'}
            disabled={!allowed}
            autoFocus={props.typeToConfirm === undefined}
          >
            {props.confirmLabel}
          </button>
        </div>
      </form>
    </dialog>
  );
}
