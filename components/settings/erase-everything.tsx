import { useRef, useState } from 'preact/hooks';
import { request } from '@/utils/messaging-client';
import { errorText } from './error-text';

type Phase = { kind: 'idle' } | { kind: 'erasing' } | { kind: 'done' } | { kind: 'failed'; message: string };

/** "Erase everything", behind a confirmation dialog whose safe choice (Cancel) has the focus. */
export function EraseEverything({ onErased }: { onErased?: () => void }) {
  const dialog = useRef<HTMLDialogElement>(null);
  const trigger = useRef<HTMLButtonElement>(null);
  const [phase, setPhase] = useState<Phase>({ kind: 'idle' });

  const close = () => {
    dialog.current?.close();
    trigger.current?.focus();
  };
  const erase = async () => {
    close();
    setPhase({ kind: 'erasing' });
    try {
      await request('privacy.eraseEverything', {});
      setPhase({ kind: 'done' });
    } catch (error) {
      setPhase({ kind: 'failed', message: errorText(error) });
    } finally {
      onErased?.();
    }
  };

  return (
    <div>
      <h3 class="settings-subheading">Erase all data on this device</h3>
      <p class="muted">
        Signs you out at ExpressAI and deletes everything the extension keeps on this device: your encrypted chat history, your settings,
        diagnostics, and the browser settings it changed. It cannot be undone.
      </p>
      <div class="settings-actions">
        <button type="button" class="danger" ref={trigger} disabled={phase.kind === 'erasing'} onClick={() => dialog.current?.showModal()}>
          Erase everything
        </button>
      </div>
      <p role="status" class={phase.kind === 'failed' ? 'error' : 'muted'}>
        {phase.kind === 'erasing' && 'Erasing…'}
        {phase.kind === 'done' && 'Everything was erased. ExpressAI is as it was when first installed.'}
        {phase.kind === 'failed' && phase.message}
      </p>
      <dialog ref={dialog} class="confirm" aria-labelledby="erase-title" aria-describedby="erase-description" onClose={() => trigger.current?.focus()}>
        <h2 id="erase-title">Erase everything?</h2>
        <p id="erase-description">
          You will be signed out, and your chat history, settings and diagnostics on this device will be deleted for good.
        </p>
        <div class="settings-actions">
          <button type="button" autoFocus onClick={close}>
            Cancel
          </button>
          <button type="button" class="danger-filled" onClick={() => void erase()}>
            Erase
          </button>
        </div>
      </dialog>
    </div>
  );
}
