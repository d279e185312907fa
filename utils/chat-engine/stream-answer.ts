/**
 * Streams one answer in the background: every delta goes into the
 * conversation's state and out to the pages showing it; the partial text is
 * saved at most once per `saveIntervalMs` (and always at the end), so a
 * background that dies mid-answer leaves the text so far, read back as
 * interrupted. Every way the stream ends becomes exactly one final state.
 */
import { toChatErrorInfo } from '../chat/chat-errors';
import type { ApiMessage } from '../chat/fit-context';
import type { StreamEvent } from '../chat/sse-stream';
import type { LiveConversation } from './live-conversation';
import type { PortHub } from './port-hub';

export interface AnswerRequest {
  model: string;
  /** Already fitted to the provider's limits (utils/chat/fit-context.ts). */
  messages: ApiMessage[];
}

export interface StreamAnswerDeps {
  /** Streams from the subscription's chosen provider. */
  stream(request: AnswerRequest, signal: AbortSignal, subscriptionHash: string): AsyncIterable<StreamEvent>;
  hub: PortHub;
  holdAlive(): () => void;
  now(): number;
  saveIntervalMs: number;
  diagnostics: {
    failure(error: unknown): void;
    firstToken(ms: number): void;
    transfer(bytes: number): void;
  };
  /** Called once the final state is saved. */
  onSettled(live: LiveConversation): void;
}

/** Starts the answer `answerId` (already in the state as streaming) to `request` and returns at once. */
export function startAnswer(live: LiveConversation, answerId: string, request: AnswerRequest, deps: StreamAnswerDeps): void {
  const controller = new AbortController();
  let settle!: () => void;
  const settled = new Promise<void>((resolve) => (settle = resolve));
  live.job = { answerId, controller, settled };
  void run(live, answerId, request, controller, deps).finally(settle);
}

async function run(live: LiveConversation, answerId: string, request: AnswerRequest, controller: AbortController, deps: StreamAnswerDeps): Promise<void> {
  const release = deps.holdAlive();
  const started = deps.now();
  // Counted once at the end: encoding each 4-character delta was a fifth of the background's work in a fast stream.
  let received = '';
  let firstToken = true;
  let lastSave = started;
  let saveTimer: ReturnType<typeof setTimeout> | undefined;
  const saveSoon = () => {
    if (saveTimer || live.store.isEphemeral(live.id)) return;
    saveTimer = setTimeout(() => {
      saveTimer = undefined;
      lastSave = deps.now();
      void live.saveTurn(answerId, deps.now);
    }, Math.max(0, lastSave + deps.saveIntervalMs - deps.now()));
  };
  const streaming = () => live.state.streamingId === answerId;

  try {
    for await (const event of deps.stream(request, controller.signal, live.store.subscriptionHash)) {
      if (!streaming()) break;
      if (event.type === 'delta') {
        if (firstToken) deps.diagnostics.firstToken(deps.now() - started);
        firstToken = false;
        received += event.text;
        live.apply({ type: 'delta', id: answerId, text: event.text });
        deps.hub.delta(live.id, answerId, event.text);
        saveSoon();
      } else if (event.type === 'done') {
        live.apply({ type: 'done', id: answerId, finishReason: event.finishReason });
      }
    }
    // A stream that ends without saying it is done was cut.
    if (streaming()) live.apply({ type: 'fail', id: answerId, error: controller.signal.aborted ? { code: 'aborted' } : { code: 'stream_cut' } });
  } catch (error) {
    if (!controller.signal.aborted) deps.diagnostics.failure(error);
    live.apply({ type: 'fail', id: answerId, error: controller.signal.aborted ? { code: 'aborted' } : toChatErrorInfo(error) });
  } finally {
    clearTimeout(saveTimer);
    release();
    deps.diagnostics.transfer(utf8Length(JSON.stringify(request)) + utf8Length(received));
    live.job = undefined;
    deps.hub.toViewers(live.id, live.snapshot());
    await live.saveTurn(answerId, deps.now);
    deps.onSettled(live);
  }
}

function utf8Length(text: string): number {
  return new TextEncoder().encode(text).length;
}
