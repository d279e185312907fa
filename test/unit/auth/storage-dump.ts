import { fakeBrowser } from 'wxt/testing';

/** Every extension storage area as JSON text, for "no secret in storage" assertions. */
export async function dumpExtensionStorage(): Promise<{ local: string; session: string; all: string }> {
  const [local, session, sync] = await Promise.all([
    fakeBrowser.storage.local.get(null),
    fakeBrowser.storage.session.get(null),
    fakeBrowser.storage.sync.get(null),
  ]);
  const text = { local: JSON.stringify(local), session: JSON.stringify(session) };
  return { ...text, all: JSON.stringify({ local, session, sync }) };
}
