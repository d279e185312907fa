/**
 * A conversation the background holds in memory while a page shows it or an
 * answer streams: its chat state (driven by the same reducer the pages use),
 * whether it exists in the history yet, and one queue of writes, so a late
 * partial save can never land after the final one.
 */
import { EMPTY_CHAT, type ChatAction, type ChatState, chatReducer } from '../chat/chat-state';
import type { ChatPortEvent } from '../messages';
import type { ChatStore } from './chat-store';

export interface AnswerJob {
  answerId: string;
  controller: AbortController;
  /** Resolves when the answer has ended and its final state is queued for saving. */
  settled: Promise<void>;
}

export class LiveConversation {
  state: ChatState = EMPTY_CHAT;
  /** Null until the first question creates the conversation. */
  title: string | null = null;
  /** True once the conversation exists in the history (its creation is queued before any turn). */
  created = false;
  deleted = false;
  job: AnswerJob | undefined;
  private writes: Promise<void> = Promise.resolve();

  constructor(
    readonly store: ChatStore,
    readonly id: string,
    private readonly onWriteError: (error: unknown) => void,
  ) {}

  apply(action: ChatAction): void {
    this.state = chatReducer(this.state, action);
  }

  /** Queues a write; it runs after every earlier one and is skipped once the conversation is deleted. */
  write(task: () => Promise<void>): Promise<void> {
    const run = this.writes.then(async () => {
      if (this.deleted) return;
      try {
        await task();
      } catch (error) {
        this.onWriteError(error);
      }
    });
    this.writes = run;
    return run;
  }

  /** Queues saving a turn as it is when the write runs (so a queued partial save writes the newest text). */
  saveTurn(turnId: string, now: () => number): Promise<void> {
    return this.write(async () => {
      const turn = this.state.messages.find((m) => m.id === turnId);
      if (turn) await this.store.saveTurn(this.id, turn, now());
    });
  }

  /** Resolves when every queued write has run. */
  idle(): Promise<void> {
    return this.writes;
  }

  snapshot(draft?: string): Extract<ChatPortEvent, { type: 'conversation' }> {
    const event: Extract<ChatPortEvent, { type: 'conversation' }> = {
      type: 'conversation',
      conversationId: this.id,
      title: this.title,
      messages: [...this.state.messages],
      streamingId: this.state.streamingId,
    };
    if (draft !== undefined) event.draft = draft;
    return event;
  }
}
