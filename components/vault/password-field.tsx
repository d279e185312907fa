import type { Ref } from 'preact';

interface PasswordFieldProps {
  id: string;
  /** The visible label, which is also the accessible name. */
  label: string;
  value: string;
  onInput: (value: string) => void;
  /** Tells password managers whether to offer a saved password or generate one. */
  autocomplete: 'current-password' | 'new-password';
  invalid?: boolean;
  /** Ids of the hint or error texts that describe the field. */
  describedBy?: string;
  disabled?: boolean;
  inputRef?: Ref<HTMLInputElement>;
}

/** A labelled password input. */
export function PasswordField({ id, label, value, onInput, autocomplete, invalid, describedBy, disabled, inputRef }: PasswordFieldProps) {
  return (
    <div class="vault-field">
      <label for={id}>{label}</label>
      <input
        id={id}
        ref={inputRef}
        type="password"
        value={value}
        autocomplete={autocomplete}
        spellcheck={false}
        disabled={disabled}
        aria-invalid={invalid ? 'true' : undefined}
        aria-describedby={describedBy}
        onInput={(event) => onInput(event.currentTarget.value)}
      />
    </div>
  );
}
