import { useEffect, useState } from 'preact/hooks';
import { historyRetention, temporaryChatsDefault, type HistoryRetention } from '@/utils/storage-items';
import { RETENTION_CHOICES } from '@/utils/vault';
import { SwitchField } from '../settings/switch-field';
import { ConfirmDialog } from './confirm-dialog';
import './vault.css';

type Days = Exclude<HistoryRetention, 'none'>;
const DAY_CHOICES = RETENTION_CHOICES.filter((c): c is Days => c !== 'none');
const dayLabel = (choice: Days) => (choice === 'forever' ? 'Never' : choice === 1 ? '1 day' : `${choice} days`);

function useStored<T>(item: { getValue(): Promise<T>; watch(cb: () => void): () => void }): T | undefined {
  const [value, setValue] = useState<T | undefined>();
  useEffect(() => {
    const load = () => void item.getValue().then(setValue, () => undefined);
    load();
    return item.watch(load);
  }, [item]);
  return value;
}

/** Settings → History: whether chats are saved, when old ones are deleted, and whether new chats start as temporary. */
export function HistorySection() {
  const retention = useStored(historyRetention);
  const temporary = useStored(temporaryChatsDefault);
  // What "Save history" goes back to when switched on again (this page's memory only: nothing more is stored).
  const [lastKept, setLastKept] = useState<Days>('forever');
  const [confirmingOff, setConfirmingOff] = useState(false);
  const [error, setError] = useState<string | undefined>();
  const saving = retention !== undefined && retention !== 'none';

  const save = async (write: () => Promise<void>) => {
    try {
      await write();
      setError(undefined);
    } catch {
      setError('The setting could not be saved. Please try again.');
    }
  };
  const chooseDays = (value: string) => {
    const choice = DAY_CHOICES.find((c) => String(c) === value) ?? 'forever';
    setLastKept(choice);
    void save(() => historyRetention.setValue(choice));
  };

  return (
    <section class="card" aria-labelledby="history-heading">
      <h2 id="history-heading">History</h2>
      <SwitchField
        id="save-history"
        label="Save history"
        checked={saving}
        disabled={retention === undefined}
        onToggle={(on) => {
          if (on) void save(() => historyRetention.setValue(lastKept));
          else setConfirmingOff(true);
        }}
        description={<p>Saves your chats on this device, encrypted with your master password. When off, chats live only until you close them.</p>}
      />
      <div class="vault-field">
        <label for="auto-delete">Auto-delete after</label>
        <select id="auto-delete" value={saving ? String(retention) : ''} disabled={!saving} aria-describedby="auto-delete-description" onChange={(e) => chooseDays(e.currentTarget.value)}>
          {!saving && <option value="">History is not saved</option>}
          {DAY_CHOICES.map((choice) => (
            <option key={choice} value={String(choice)}>
              {dayLabel(choice)}
            </option>
          ))}
        </select>
        <p id="auto-delete-description" class="muted vault-hint">
          Conversations you have not used for this long are deleted from this device, even while your history is locked.
        </p>
      </div>
      <SwitchField
        id="temporary-default"
        label="Temporary chats by default"
        checked={temporary ?? false}
        disabled={temporary === undefined}
        onToggle={(on) => void save(() => (on ? temporaryChatsDefault.setValue(true) : temporaryChatsDefault.removeValue()))}
        description={<p>New chats are not saved unless you choose to keep them.</p>}
      />
      {error && (
        <p class="error" role="alert">
          {error}
        </p>
      )}
      <ConfirmDialog
        id="history-off"
        open={confirmingOff}
        title="Stop saving history?"
        confirmLabel="Delete saved history"
        onCancel={() => setConfirmingOff(false)}
        onConfirm={async () => {
          if (retention !== undefined && retention !== 'none') setLastKept(retention);
          await historyRetention.setValue('none');
          setConfirmingOff(false);
        }}
      >
        <p>The chats already saved on this device will be deleted, for every account. New chats will live only until you close them.</p>
      </ConfirmDialog>
    </section>
  );
}
