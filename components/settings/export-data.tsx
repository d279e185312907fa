import { useState } from 'preact/hooks';
import { ExtensionError } from '@/utils/errors';
import { request } from '@/utils/messaging-client';
import { exportFileName, type ExportDocument } from '@/utils/privacy/export-document';
import { UnlockForm } from '../vault/unlock-form';
import { useAuthStatus } from '../use-auth-status';
import { errorText } from './error-text';

type Phase = { kind: 'idle' } | { kind: 'exporting' } | { kind: 'locked' } | { kind: 'done'; file: string } | { kind: 'failed'; message: string };

/** Object URLs stay valid this long, so a slow download can still read the file. */
const URL_LIFETIME_MS = 60_000;

/** Saves the export through the browser's ordinary download of a link: no `downloads` permission needed. */
function download(data: ExportDocument): string {
  const file = exportFileName(new Date());
  const url = URL.createObjectURL(new Blob([JSON.stringify(data, null, 2)], { type: 'application/json' }));
  const link = document.createElement('a');
  link.href = url;
  link.download = file;
  link.hidden = true;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), URL_LIFETIME_MS);
  return file;
}

/** "Export my data": a JSON file of the saved conversations and the settings. A locked history is unlocked right here first. */
export function ExportData() {
  const { status } = useAuthStatus();
  const hash = status?.state === 'signed-in' ? status.subscriptionHash : undefined;
  const [phase, setPhase] = useState<Phase>({ kind: 'idle' });

  const run = async () => {
    setPhase({ kind: 'exporting' });
    try {
      setPhase({ kind: 'done', file: download(await request('privacy.exportData', {})) });
    } catch (error) {
      if (error instanceof ExtensionError && error.code === 'vault_locked') setPhase({ kind: 'locked' });
      else setPhase({ kind: 'failed', message: errorText(error) });
    }
  };

  return (
    <div>
      <h3 class="settings-subheading">Export my data</h3>
      <p class="muted">
        Downloads a JSON file with your saved conversations (titles, every message, dates) and your settings. It holds no password, key or
        token. Temporary chats are never saved, so they are not in it. Your history must be unlocked.
      </p>
      <div class="settings-actions">
        <button type="button" disabled={!hash || phase.kind === 'exporting'} onClick={() => void run()}>
          Export my data
        </button>
      </div>
      {!hash && status && <p class="muted">Sign in to export your data.</p>}
      {phase.kind === 'locked' && hash && (
        <>
          <p class="muted">Your history is locked. Enter your master password to export it.</p>
          <UnlockForm key={hash} subscriptionHash={hash} onUnlocked={() => void run()} onReset={() => setPhase({ kind: 'idle' })} />
        </>
      )}
      <p role="status" class={phase.kind === 'failed' ? 'error' : 'muted'}>
        {phase.kind === 'exporting' && 'Preparing your file…'}
        {phase.kind === 'done' && `Your data was saved as ${phase.file}.`}
        {phase.kind === 'failed' && phase.message}
      </p>
    </div>
  );
}
