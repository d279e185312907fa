/**
 * "Export my data": the JSON document a user downloads from Settings. It holds
 * what the user made and chose (conversations, settings) and nothing that
 * opens anything: no token, no key (neither the API key nor the history key),
 * no KRN and no hash of it. Built from plain values, so it cannot pick up a
 * secret by accident: every field below is copied by name.
 */
import type { ChatMessage } from '../chat/chat-state';
import { decodeTurn } from '../chat-engine/turn-codec';
import type { HistoryRetention } from '../storage-items';
import type { Conversation, Message } from '../vault/history-types';

/** Names the format, so a reader can tell this file from any other JSON. */
export const EXPORT_FORMAT = 'expressai-export';
/** Bumped whenever a field changes meaning or goes away. */
export const EXPORT_FORMAT_VERSION = 1;

export interface ExportedMessage {
  role: Message['role'];
  /** The text as the user saw it. */
  content: string;
  /** ISO 8601, UTC. */
  createdAt: string;
  /** Only for an answer that did not complete. */
  status?: Exclude<ChatMessage['status'], 'complete'>;
}

/** Answers are stored with their state in a small envelope (turn-codec.ts): the file holds the text people read. */
function exportedMessage(m: Message): ExportedMessage {
  const turn = decodeTurn(m);
  const out: ExportedMessage = { role: m.role, content: turn?.text ?? m.content, createdAt: iso(m.createdAt) };
  if (turn && turn.status !== 'complete') out.status = turn.status;
  return out;
}

export interface ExportedConversation {
  id: string;
  title: string;
  createdAt: string;
  updatedAt: string;
  /** In the order they were written. */
  messages: ExportedMessage[];
}

/** Where answers come from; for a custom endpoint only whether a key is saved, never the key. */
export type ExportedProvider = { kind: 'expressai' } | { kind: 'custom'; baseUrl: string; hasApiKey: boolean };

export interface ExportedSettings {
  provider: ExportedProvider;
  /** The model picked last; null when none was picked. */
  model: string | null;
  history: { retention: HistoryRetention; temporaryChatsByDefault: boolean };
  autoLockMinutes: number;
  diagnosticsEnabled: boolean;
  /** Null when the browser setting cannot be read (the `privacy` permission is not granted). */
  blockWebRtcIpLeaks: boolean | null;
}

export interface ExportDocument {
  format: typeof EXPORT_FORMAT;
  version: typeof EXPORT_FORMAT_VERSION;
  exportedAt: string;
  account: { email: string | null };
  settings: ExportedSettings;
  /** Newest first. Temporary chats are never saved, so they are not here. */
  conversations: ExportedConversation[];
  /** Records that failed authentication and could not be read, so were left out. */
  unreadableRecords: number;
}

export interface ExportInput {
  now: number;
  email: string | null;
  settings: ExportedSettings;
  conversations: readonly Conversation[];
  messages: readonly Message[];
  unreadableRecords: number;
}

const iso = (epochMs: number) => new Date(epochMs).toISOString();

function exportedSettings(s: ExportedSettings): ExportedSettings {
  const provider: ExportedProvider = s.provider.kind === 'custom' ? { kind: 'custom', baseUrl: s.provider.baseUrl, hasApiKey: s.provider.hasApiKey } : { kind: 'expressai' };
  return {
    provider,
    model: s.model,
    history: { retention: s.history.retention, temporaryChatsByDefault: s.history.temporaryChatsByDefault },
    autoLockMinutes: s.autoLockMinutes,
    diagnosticsEnabled: s.diagnosticsEnabled,
    blockWebRtcIpLeaks: s.blockWebRtcIpLeaks,
  };
}

/** The document for these records. Messages whose conversation is unreadable are kept under a conversation without a title. */
export function buildExportDocument(input: ExportInput): ExportDocument {
  const byConversation = new Map<string, Message[]>();
  for (const message of input.messages) {
    const list = byConversation.get(message.conversationId) ?? [];
    list.push(message);
    byConversation.set(message.conversationId, list);
  }
  const known = new Map(input.conversations.map((c) => [c.id, c]));
  for (const [id, messages] of byConversation) {
    if (known.has(id)) continue;
    const times = messages.map((m) => m.createdAt);
    known.set(id, { id, title: '', createdAt: Math.min(...times), updatedAt: Math.max(...times) });
  }
  const conversations = [...known.values()]
    .sort((a, b) => b.updatedAt - a.updatedAt || (a.id < b.id ? -1 : 1))
    .map((c) => ({
      id: c.id,
      title: c.title,
      createdAt: iso(c.createdAt),
      updatedAt: iso(c.updatedAt),
      messages: (byConversation.get(c.id) ?? [])
        .sort((a, b) => a.seq - b.seq)
        .map(exportedMessage),
    }));
  return {
    format: EXPORT_FORMAT,
    version: EXPORT_FORMAT_VERSION,
    exportedAt: iso(input.now),
    account: { email: input.email },
    settings: exportedSettings(input.settings),
    conversations,
    unreadableRecords: input.unreadableRecords,
  };
}

/** `expressai-export-YYYY-MM-DD.json`, the local date of the export. */
export function exportFileName(now: Date): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `expressai-export-${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}.json`;
}
