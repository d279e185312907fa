import { useEffect, useState } from 'preact/hooks';
import { autoLockMinutes } from '@/utils/storage-items';
import { AUTO_LOCK_CHOICES, readAutoLockMinutes, setAutoLockMinutes, type AutoLockMinutes } from '@/utils/vault/auto-lock';

const label = (minutes: AutoLockMinutes) => (minutes === 1 ? '1 minute' : minutes < 60 ? `${minutes} minutes` : minutes === 60 ? '1 hour' : `${minutes / 60} hours`);

/** "Auto-lock after": how long without input before the history locks itself. Applies to every account. */
export function AutoLockField() {
  const [minutes, setMinutes] = useState<AutoLockMinutes | undefined>();
  const [error, setError] = useState<string | undefined>();

  useEffect(() => {
    const load = () => void readAutoLockMinutes().then(setMinutes, () => setError('The setting could not be read.'));
    load();
    return autoLockMinutes.watch(load);
  }, []);

  const choose = async (value: string) => {
    const next = Number(value) as AutoLockMinutes;
    setMinutes(next);
    try {
      await setAutoLockMinutes(next);
      setError(undefined);
    } catch {
      setError('The setting could not be saved. Please try again.');
    }
  };

  return (
    <div class="vault-field vault-autolock">
      <label for="auto-lock">Auto-lock after</label>
      <select id="auto-lock" value={minutes === undefined ? '' : String(minutes)} disabled={minutes === undefined} aria-describedby="auto-lock-description" onChange={(e) => void choose(e.currentTarget.value)}>
        {AUTO_LOCK_CHOICES.map((choice) => (
          <option key={choice} value={choice}>
            {label(choice)}
          </option>
        ))}
      </select>
      <p id="auto-lock-description" class="muted vault-hint">
        Your history locks when your computer has had no keyboard or mouse input for this long
        {import.meta.env.FIREFOX ? '' : ', and at once when you lock your screen'}. Closing the browser always locks it.
      </p>
      {error && (
        <p class="error" role="alert">
          {error}
        </p>
      )}
    </div>
  );
}
