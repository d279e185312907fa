import type { ComponentChildren } from 'preact';
import './settings.css';

interface SwitchFieldProps {
  id: string;
  /** The switch's accessible name. */
  label: string;
  checked: boolean;
  disabled?: boolean;
  /** A change is in progress: the switch shows where it is going and ignores clicks. */
  busy?: boolean;
  description?: ComponentChildren;
  /**
   * Called from the click itself, so a permission prompt opened in it still
   * counts as a user action (Firefox only prompts during one).
   */
  onToggle: (on: boolean) => void;
}

/** A checkbox with the switch role: Space toggles it, screen readers announce "switch, on/off". */
export function SwitchField({ id, label, checked, disabled = false, busy = false, description, onToggle }: SwitchFieldProps) {
  const descriptionId = `${id}-description`;
  return (
    <div class="switch-field">
      <input
        id={id}
        type="checkbox"
        role="switch"
        class="switch"
        checked={checked}
        disabled={disabled}
        aria-busy={busy ? 'true' : undefined}
        aria-describedby={description ? descriptionId : undefined}
        onClick={(event) => {
          if (busy) {
            event.preventDefault();
            return;
          }
          onToggle(event.currentTarget.checked);
        }}
      />
      <label for={id}>{label}</label>
      {description && (
        <div id={descriptionId} class="switch-description muted">
          {description}
        </div>
      )}
    </div>
  );
}
