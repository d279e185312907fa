import { useEffect, useState } from 'preact/hooks';
import { browser } from 'wxt/browser';
import type { ProviderView } from '@/utils/chat-engine/provider';
import { endpointPermission, normalizeEndpoint } from '@/utils/chat-engine/endpoint';
import { ExtensionError } from '@/utils/errors';
import { request } from '@/utils/messaging-client';
import { authStatus } from '@/utils/storage-items';
import './chat-app.css';

type Kind = ProviderView['kind'];

const messageOf = (error: unknown) =>
  error instanceof ExtensionError
    ? error.code === 'vault_locked'
      ? 'Unlock your history first (open ExpressAI from the toolbar): the API key is encrypted with it.'
      : error.message
    : 'The provider could not be saved. Please try again.';

/** Settings → Chat provider: the ExpressAI account, or a custom OpenAI-compatible endpoint (e.g. Ollama). */
export function ProviderSection() {
  const [saved, setSaved] = useState<ProviderView | undefined>();
  const [kind, setKind] = useState<Kind>('expressai');
  const [url, setUrl] = useState('');
  const [key, setKey] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | undefined>();
  const [status, setStatus] = useState('');
  const [signedIn, setSignedIn] = useState<boolean | undefined>();

  useEffect(() => {
    const load = () =>
      request('chat.provider', {}).then(
        (view) => {
          setSignedIn(true);
          setSaved(view);
          setKind(view.kind);
          if (view.kind === 'custom') setUrl(view.baseUrl);
        },
        () => setSignedIn(false),
      );
    void load();
    return authStatus.watch(() => void load());
  }, []);

  const apply = (choice: Parameters<typeof request<'chat.setProvider'>>[1], previous: ProviderView | undefined) =>
    request('chat.setProvider', choice).then(async (view) => {
      // Going back to the account gives up the endpoint's host permission; nothing should keep it.
      if (previous?.kind === 'custom' && (view.kind !== 'custom' || endpointPermission(view.baseUrl) !== endpointPermission(previous.baseUrl))) {
        await browser.permissions.remove({ origins: [endpointPermission(previous.baseUrl)] }).catch(() => false);
      }
      setSaved(view);
      setKey('');
      setStatus(view.kind === 'custom' ? `Answers now come from ${new URL(view.baseUrl).host}.` : 'Answers now come from your ExpressAI account.');
    });

  const save = () => {
    setError(undefined);
    setStatus('');
    if (kind === 'expressai') {
      setBusy(true);
      void apply({ kind: 'expressai' }, saved).catch((e: unknown) => setError(messageOf(e))).finally(() => setBusy(false));
      return;
    }
    let baseUrl: string;
    try {
      baseUrl = normalizeEndpoint(url);
    } catch (e) {
      setError(messageOf(e));
      return;
    }
    setBusy(true);
    // The permission prompt must open inside this click, before anything is awaited.
    void browser.permissions
      .request({ origins: [endpointPermission(baseUrl)] })
      .then((granted) => {
        if (!granted) throw new ExtensionError('permission_denied', `ExpressAI needs your permission to connect to ${new URL(baseUrl).host}. Nothing was changed.`);
        return apply({ kind: 'custom', baseUrl, ...(key.trim() ? { apiKey: key } : {}) }, saved);
      })
      .catch((e: unknown) => setError(messageOf(e)))
      .finally(() => setBusy(false));
  };

  return (
    <section class="card provider" aria-labelledby="provider-heading">
      <h2 id="provider-heading">Chat provider</h2>
      {signedIn === false ? (
        <p class="muted">Sign in to choose where answers come from.</p>
      ) : (
        <form
          onSubmit={(event) => {
            event.preventDefault();
            save();
          }}
        >
          <fieldset class="provider-choice" aria-label="Where answers come from">
            <label>
              <input type="radio" name="provider" checked={kind === 'expressai'} onChange={() => setKind('expressai')} /> ExpressAI account
            </label>
            <label>
              <input type="radio" name="provider" checked={kind === 'custom'} onChange={() => setKind('custom')} /> Custom OpenAI-compatible endpoint
            </label>
          </fieldset>
          {kind === 'custom' && (
            <div class="provider-fields">
              <label for="provider-url">Endpoint URL</label>
              <input id="provider-url" type="url" placeholder="http://localhost:11434/v1" value={url} onInput={(e) => setUrl(e.currentTarget.value)} />
              <label for="provider-key">API key (optional)</label>
              <input
                id="provider-key"
                type="password"
                autoComplete="off"
                placeholder={saved?.kind === 'custom' && saved.hasKey ? 'Saved — type to replace' : 'None'}
                value={key}
                onInput={(e) => setKey(e.currentTarget.value)}
              />
              <p class="muted">
                ExpressAI asks your browser for permission to connect to this address only. The key is encrypted with your master password. Plain
                http works only for this computer.
              </p>
            </div>
          )}
          <button type="submit" class="primary" disabled={busy || signedIn === undefined}>
            Save provider
          </button>
          <p class="error" role="alert">
            {error}
          </p>
          <p role="status">{status}</p>
        </form>
      )}
    </section>
  );
}
