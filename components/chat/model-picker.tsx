export interface ModelOption {
  id: string;
  /** Shown instead of the id when given. */
  label?: string;
}

interface ModelPickerProps {
  models: readonly ModelOption[];
  value: string;
  onChange: (id: string) => void;
  disabled?: boolean;
}

/** The model the next question goes to (a native select: a combobox named "Model"). */
export function ModelPicker({ models, value, onChange, disabled }: ModelPickerProps) {
  return (
    <select
      class="chat-model"
      aria-label="Model"
      value={value}
      disabled={disabled || models.length === 0}
      onChange={(event) => onChange(event.currentTarget.value)}
    >
      {models.map((m) => (
        <option key={m.id} value={m.id}>
          {m.label ?? m.id}
        </option>
      ))}
    </select>
  );
}
