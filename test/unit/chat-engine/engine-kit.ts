/**
 * The chat engine with real storage (fake browser, fake IndexedDB, a real
 * vault), a scripted answer stream and fake ports, for the engine tests.
 */
import { vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing';
import { ChatStreamError } from '@/utils/chat/chat-errors';
import type { ContextLimits } from '@/utils/chat/context-limits';
import type { StreamEvent } from '@/utils/chat/sse-stream';
import { ChatEngine } from '@/utils/chat-engine/chat-engine';
import { defaultEngineDeps } from '@/utils/chat-engine/chat-background';
import { createChatPortListener, type IncomingPort } from '@/utils/chat-engine/chat-ports';
import type { AnswerRequest } from '@/utils/chat-engine/stream-answer';
import type { ChatPortEvent, ChatPortRequest } from '@/utils/messages';
import { createVault } from '@/utils/vault';
import { OLD_PASSWORD, randomHash, SMALL } from '../vault/vault-test-kit';

export const SELF = { id: fakeBrowser.runtime.id, baseUrl: fakeBrowser.runtime.getURL('/') };
export const POPUP_SENDER = { id: SELF.id, url: fakeBrowser.runtime.getURL('/popup.html') };

/** One scripted answer: the test pushes text and decides how it ends. */
export class ScriptedAnswer {
  private readonly queue: (StreamEvent | Error)[] = [];
  private wake: (() => void) | undefined;
  constructor(
    readonly request: AnswerRequest,
    readonly signal: AbortSignal,
  ) {
    signal.addEventListener('abort', () => this.wake?.());
  }
  delta(text: string): void {
    this.put({ type: 'delta', text });
  }
  done(): void {
    this.put({ type: 'done', finishReason: 'stop' });
  }
  /** Ends the stream with an error carrying the text so far, as the real client does. */
  fail(code: ConstructorParameters<typeof ChatStreamError>[0], options: ConstructorParameters<typeof ChatStreamError>[1] = {}): void {
    this.put(new ChatStreamError(code, options));
  }
  private put(item: StreamEvent | Error): void {
    this.queue.push(item);
    this.wake?.();
  }
  async *events(): AsyncGenerator<StreamEvent> {
    let partial = '';
    for (;;) {
      if (this.signal.aborted) throw Object.assign(new ChatStreamError('aborted'), { partialText: partial });
      const next = this.queue.shift();
      if (!next) {
        await new Promise<void>((resolve) => (this.wake = resolve));
        continue;
      }
      if (next instanceof ChatStreamError) throw Object.assign(next, { partialText: partial });
      if (next instanceof Error) throw next;
      if (next.type === 'delta') partial += next.text;
      yield next;
      if (next.type === 'done') return;
    }
  }
}

/** A page's end of a chat port. */
export class FakePort implements IncomingPort {
  readonly events: ChatPortEvent[] = [];
  private readonly messageListeners: ((message: unknown) => void)[] = [];
  private readonly disconnectListeners: (() => void)[] = [];
  disconnected = false;
  readonly disconnect = vi.fn(() => {
    this.disconnected = true;
  });
  readonly onMessage = { addListener: (l: (message: unknown) => void) => void this.messageListeners.push(l) };
  readonly onDisconnect = { addListener: (l: () => void) => void this.disconnectListeners.push(l) };

  readonly sender: IncomingPort['sender'];
  /** `sender: null` makes a port without one. */
  constructor(
    readonly name = 'chat',
    sender: IncomingPort['sender'] | null = POPUP_SENDER,
  ) {
    this.sender = sender ?? undefined;
  }

  postMessage(message: ChatPortEvent): void {
    if (this.disconnected) throw new Error('Attempting to use a disconnected port object');
    // Structured clone, as the browser does: the page never shares objects with the background.
    this.events.push(structuredClone(message));
  }
  /** The page posts a message. */
  send(message: ChatPortRequest | Record<string, unknown> | unknown): void {
    for (const l of this.messageListeners) l(structuredClone(message));
  }
  /** The page closes (the popup loses focus). */
  close(): void {
    this.disconnected = true;
    for (const l of this.disconnectListeners) l();
  }
  last<T extends ChatPortEvent['type']>(type: T): Extract<ChatPortEvent, { type: T }> | undefined {
    return this.events.findLast((e): e is Extract<ChatPortEvent, { type: T }> => e.type === type);
  }
  of<T extends ChatPortEvent['type']>(type: T): Extract<ChatPortEvent, { type: T }>[] {
    return this.events.filter((e): e is Extract<ChatPortEvent, { type: T }> => e.type === type);
  }
  /** The conversation as this page shows it: the last snapshot plus the deltas after it. */
  shown(): { messages: { role: string; text: string; status: string }[]; streamingId: string | null } {
    let at = this.events.findLastIndex((e) => e.type === 'conversation');
    const snapshot = this.events[at] as Extract<ChatPortEvent, { type: 'conversation' }>;
    const messages = snapshot.messages.map((m) => ({ ...m }));
    for (const event of this.events.slice(++at)) {
      if (event.type !== 'delta' || event.id !== snapshot.streamingId) continue;
      messages.find((m) => m.id === event.id)!.text += event.text;
    }
    return { messages: messages.map(({ role, text, status }) => ({ role, text, status })), streamingId: snapshot.streamingId };
  }
}

export interface EngineRig {
  hash: string;
  engine: ChatEngine;
  connect(port?: FakePort): FakePort;
  answers: ScriptedAnswer[];
  /** Resolves with the next answer the engine asks for. */
  nextAnswer(): Promise<ScriptedAnswer>;
  holds: { active: number };
  diagnostics: { failure: ReturnType<typeof vi.fn>; firstToken: ReturnType<typeof vi.fn>; transfer: ReturnType<typeof vi.fn> };
}

/** A signed-in subscription with an unlocked vault and an engine to talk to. */
export async function startEngine(options: { hash?: string; saveIntervalMs?: number; createVault?: boolean; limits?: ContextLimits } = {}): Promise<EngineRig> {
  const hash = options.hash ?? randomHash();
  if (options.createVault !== false) await createVault(hash, OLD_PASSWORD, { cost: SMALL });
  const answers: ScriptedAnswer[] = [];
  const waiting: ((answer: ScriptedAnswer) => void)[] = [];
  const holds = { active: 0 };
  const diagnostics = { failure: vi.fn(), firstToken: vi.fn(), transfer: vi.fn() };
  const deps = defaultEngineDeps();
  const engine = new ChatEngine({
    ...deps,
    account: async () => hash,
    ...(options.limits && { limits: async () => options.limits! }),
    saveIntervalMs: options.saveIntervalMs ?? 30,
    diagnostics,
    holdAlive: () => {
      holds.active++;
      return () => void holds.active--;
    },
    stream: (request, signal) => {
      const answer = new ScriptedAnswer(request, signal);
      answers.push(answer);
      waiting.shift()?.(answer);
      return answer.events();
    },
  });
  const listener = createChatPortListener(engine, SELF);
  let seen = 0;
  return {
    hash,
    engine,
    answers,
    holds,
    diagnostics,
    connect(port = new FakePort()) {
      listener(port);
      return port;
    },
    nextAnswer() {
      const index = seen++;
      if (answers[index]) return Promise.resolve(answers[index]!);
      return new Promise((resolve) => waiting.push(resolve));
    },
  };
}

/** Waits until `probe` stops throwing. */
export const eventually = <T>(probe: () => T | Promise<T>) => vi.waitFor(probe, { timeout: 3000, interval: 10 });
