/**
 * Gathers "Export my data" in the background: the signed-in subscription's
 * saved conversations (which needs its history unlocked) and the settings,
 * passed through {@link buildExportDocument}.
 */
import { readStatus } from '../auth/auth-status';
import { ExtensionError } from '../errors';
import { readProvider } from '../chat-engine/provider';
import { autoLockMinutes, chatModel, diagnosticsEnabled, historyRetention, temporaryChatsDefault } from '../storage-items';
import { isUnlocked, openHistory } from '../vault';
import type { Conversation, Message } from '../vault/history-types';
import { vaultLocked } from '../vault/vault-errors';
import { buildExportDocument, type ExportDocument, type ExportedSettings } from './export-document';
import { readWebRtcProtection } from './webrtc-protection';

async function readSettings(subscriptionHash: string): Promise<ExportedSettings> {
  const [provider, model, retention, temporary, autoLock, diagnostics, webrtc] = await Promise.all([
    readProvider(subscriptionHash),
    chatModel.getValue(),
    historyRetention.getValue(),
    temporaryChatsDefault.getValue(),
    autoLockMinutes.getValue(),
    diagnosticsEnabled.getValue(),
    readWebRtcProtection().catch(() => undefined),
  ]);
  return {
    provider: provider.kind === 'custom' ? { kind: 'custom', baseUrl: provider.baseUrl, hasApiKey: provider.hasKey } : { kind: 'expressai' },
    model,
    history: { retention, temporaryChatsByDefault: temporary },
    autoLockMinutes: autoLock,
    diagnosticsEnabled: diagnostics,
    blockWebRtcIpLeaks: webrtc?.permitted ? webrtc.blocking : null,
  };
}

/**
 * The export for the signed-in account. Throws `not_signed_in` /
 * `session_ended`, or `vault_locked` when the history is locked (also when
 * it locks while being read).
 */
export async function exportMyData(now = Date.now()): Promise<ExportDocument> {
  const status = await readStatus();
  const hash = status.state === 'signed-in' ? status.subscriptionHash : undefined;
  if (!hash) {
    if (status.state === 'ended') throw new ExtensionError('session_ended', 'Your session has ended — sign in again to export your data.');
    throw new ExtensionError('not_signed_in', 'Sign in to export your data.');
  }
  if (!(await isUnlocked(hash))) throw vaultLocked();
  const conversations: Conversation[] = [];
  const messages: Message[] = [];
  const damaged = await openHistory(hash).scanAll((batch) => {
    conversations.push(...batch.conversations);
    messages.push(...batch.messages);
  });
  return buildExportDocument({
    now,
    email: status.email ?? null,
    settings: await readSettings(hash),
    conversations,
    messages,
    unreadableRecords: damaged.length,
  });
}
