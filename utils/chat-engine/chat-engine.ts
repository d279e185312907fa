/**
 * The background's chat: answers the chat port's requests for the signed-in
 * subscription. Conversations live here while shown or answering, so an
 * answer goes on (and is saved) when the popup that asked closes, and every
 * page showing the conversation sees the same thing.
 */
import type { ContextLimits } from '../chat/context-limits';
import { toApiMessages } from '../chat/chat-state';
import { checkQuestion, fitContext } from '../chat/fit-context';
import { ExtensionError, toErrorData } from '../errors';
import type { ChatPortRequest } from '../messages';
import type { ChatStore } from './chat-store';
import { LIST_LIMIT, titleFrom } from './chat-store';
import { LiveConversation } from './live-conversation';
import { PortHub, type ChatPort } from './port-hub';
import { startAnswer, type StreamAnswerDeps } from './stream-answer';

export interface ChatEngineDeps extends Omit<StreamAnswerDeps, 'hub' | 'onSettled'> {
  /** The signed-in subscription's hash; throws `not_signed_in` or `session_ended` otherwise. */
  account(): Promise<string>;
  store(subscriptionHash: string): ChatStore;
  /** What one request to the subscription's chosen provider may carry. */
  limits(subscriptionHash: string): Promise<ContextLimits>;
  newId(): string;
  drafts: {
    save(hash: string, conversationId: string, text: string): Promise<void>;
    load(hash: string, conversationId: string): Promise<string>;
  };
  current: {
    get(hash: string): Promise<string | null>;
    set(hash: string, conversationId: string | null): Promise<void>;
  };
  /** Calls back when the subscription's history locks; returns an unwatch function. */
  watchLock(hash: string, onLocked: () => void): () => void;
}

export class ChatEngine {
  readonly hub = new PortHub();
  private readonly live = new Map<string, LiveConversation>();
  private readonly loading = new Map<string, Promise<LiveConversation>>();
  private readonly lockWatches = new Map<string, () => void>();

  constructor(private readonly deps: ChatEngineDeps) {}

  connect(port: ChatPort): void {
    this.hub.add(port);
  }

  disconnect(port: ChatPort): void {
    const shown = this.hub.shownBy(port);
    this.hub.remove(port);
    if (shown) this.evictIfUnused(shown);
  }

  /** Answers one (already validated) request; a refusal goes back to the asking port as an `error` event. */
  async handle(port: ChatPort, request: ChatPortRequest): Promise<void> {
    try {
      await this.dispatch(port, request);
    } catch (error) {
      const { code, message } = toErrorData(error);
      this.hub.send(port, { type: 'error', request: request.type, code, message });
    }
  }

  /** Resolves when every answer in progress has ended and been saved (tests, shutdown). */
  async settled(): Promise<void> {
    for (const live of [...this.live.values()]) {
      await live.job?.settled;
      await live.idle();
    }
  }

  private async dispatch(port: ChatPort, request: ChatPortRequest): Promise<void> {
    if (request.type === 'ping') return;
    const hash = await this.deps.account();
    this.watchLockOf(hash);
    switch (request.type) {
      case 'open':
        return this.open(port, hash, request.conversationId);
      case 'send':
        return this.send(port, hash, request.conversationId, request.text, request.model);
      case 'regenerate':
      case 'retry':
      case 'edit_last':
        return this.askAgain(port, hash, request);
      case 'stop':
        return void this.cached(hash, request.conversationId)?.job?.controller.abort();
      case 'draft':
        return this.deps.drafts.save(hash, request.conversationId, request.text);
      case 'list': {
        const { query, limit = LIST_LIMIT } = request;
        // One more than asked tells whether there are more.
        const items = await this.deps.store(hash).list(query, limit + 1);
        return this.hub.send(port, { type: 'list', query, limit: request.limit, items: items.slice(0, limit), more: items.length > limit });
      }
      case 'rename':
        return this.rename(hash, request.conversationId, request.title);
      case 'delete':
        return this.remove(hash, request.conversationId);
    }
  }

  private async open(port: ChatPort, hash: string, requested: string | null): Promise<void> {
    const id = requested ?? (await this.deps.current.get(hash)) ?? this.deps.newId();
    const live = await this.load(hash, id);
    const draft = await this.deps.drafts.load(hash, id).catch(() => '');
    if (requested !== null || live.created) await this.deps.current.set(hash, id);
    const previous = this.hub.shownBy(port);
    // Synchronously: from here on this port gets every delta the snapshot does not contain.
    this.hub.show(port, id);
    this.hub.send(port, live.snapshot(draft));
    if (previous && previous !== id) this.evictIfUnused(previous);
  }

  private async send(port: ChatPort, hash: string, id: string, text: string, model: string): Promise<void> {
    const live = await this.load(hash, id);
    const limits = await this.deps.limits(hash);
    // Refused before it joins the conversation: the page keeps the text to shorten.
    checkQuestion(text.trim(), limits);
    const answerId = this.deps.newId();
    live.apply({ type: 'send', userId: this.deps.newId(), assistantId: answerId, text, model });
    if (live.state.streamingId !== answerId) throw busy();
    const question = live.state.messages.at(-2)!;
    if (!live.created) {
      live.created = true;
      live.title = titleFrom(question.text);
      void live.write(async () => {
        await live.store.create(id, question.text, this.deps.now());
        this.hub.toAll({ type: 'conversations_changed' });
      });
    }
    this.showIfNone(port, id);
    void live.saveTurn(question.id, this.deps.now);
    void live.saveTurn(answerId, this.deps.now);
    void this.deps.current.set(hash, id).catch(() => undefined);
    void this.deps.drafts.save(hash, id, '').catch(() => undefined);
    this.start(live, answerId, model, limits);
  }

  private async askAgain(port: ChatPort, hash: string, request: Extract<ChatPortRequest, { type: 'regenerate' | 'retry' | 'edit_last' }>): Promise<void> {
    const live = await this.load(hash, request.conversationId);
    if (live.state.streamingId) throw busy();
    const limits = await this.deps.limits(hash);
    const question = request.type === 'edit_last' ? request.text : live.state.messages.findLast((m) => m.role === 'user')?.text;
    if (question !== undefined) checkQuestion(question.trim(), limits);
    // The new answer takes the old one's id, so saving it replaces the old one in the history.
    const last = live.state.messages.at(-1);
    const answerId = last?.role === 'assistant' ? last.id : this.deps.newId();
    const { model } = request;
    if (request.type === 'edit_last') live.apply({ type: 'edit_last', text: request.text, assistantId: answerId, model });
    else live.apply({ type: request.type, assistantId: answerId, model });
    if (live.state.streamingId !== answerId) throw new ExtensionError('nothing_to_answer', 'There is no question to answer again.');
    // The index still holds the old answer's (or question's) words: the conversation is indexed afresh once answered.
    live.store.markEdited(request.conversationId);
    this.showIfNone(port, request.conversationId);
    if (request.type === 'edit_last') void live.saveTurn(live.state.messages.at(-2)!.id, this.deps.now);
    void live.saveTurn(answerId, this.deps.now);
    this.start(live, answerId, model, limits);
  }

  private start(live: LiveConversation, answerId: string, model: string, limits: ContextLimits): void {
    // The question was checked against the same limits, so this fits.
    const { messages, omitted, shortened } = fitContext(toApiMessages(live.state.messages, answerId), limits);
    if (omitted > 0 || shortened > 0) live.apply({ type: 'trimmed', id: answerId, trimmed: { omitted, shortened } });
    this.hub.toViewers(live.id, live.snapshot());
    startAnswer(live, answerId, { model, messages }, {
      ...this.deps,
      hub: this.hub,
      onSettled: (settled) => {
        this.hub.toAll({ type: 'conversations_changed' });
        this.evictIfUnused(settled.id);
      },
    });
  }

  private async rename(hash: string, id: string, title: string): Promise<void> {
    const renamed = await this.deps.store(hash).rename(id, title);
    if (!renamed) throw notFound();
    const live = this.cached(hash, id);
    if (live) {
      live.title = title;
      this.hub.toViewers(id, live.snapshot());
    }
    this.hub.toAll({ type: 'conversations_changed' });
  }

  private async remove(hash: string, id: string): Promise<void> {
    const live = this.cached(hash, id);
    if (live) {
      live.deleted = true;
      live.job?.controller.abort();
      await live.job?.settled;
      await live.idle();
      this.live.delete(id);
    }
    await this.deps.store(hash).remove(id);
    await this.deps.drafts.save(hash, id, '').catch(() => undefined);
    if ((await this.deps.current.get(hash)) === id) await this.deps.current.set(hash, null);
    const fresh = new LiveConversation(this.deps.store(hash), id, () => undefined);
    this.hub.toViewers(id, fresh.snapshot());
    this.hub.toAll({ type: 'conversations_changed' });
  }

  /** Loads a conversation once, however many pages ask at the same time. */
  private load(hash: string, id: string): Promise<LiveConversation> {
    const key = `${hash}:${id}`;
    const cached = this.cached(hash, id);
    if (cached) return Promise.resolve(cached);
    let loading = this.loading.get(key);
    if (!loading) {
      const store = this.deps.store(hash);
      loading = store
        .load(id)
        .then(({ conversation, turns }) => {
          const live = new LiveConversation(store, id, (error) => this.onWriteError(live, error));
          live.apply({ type: 'load', messages: turns });
          if (conversation) {
            live.created = true;
            live.title = conversation.title;
          }
          this.live.set(id, live);
          return live;
        })
        .finally(() => this.loading.delete(key));
      this.loading.set(key, loading);
    }
    return loading;
  }

  private onWriteError(live: LiveConversation, error: unknown): void {
    // Locked mid-answer: nothing more can be saved, so the answer stops.
    if (error instanceof ExtensionError && error.code === 'vault_locked') live.job?.controller.abort();
  }

  private watchLockOf(hash: string): void {
    if (this.lockWatches.has(hash)) return;
    this.lockWatches.set(
      hash,
      this.deps.watchLock(hash, () => {
        for (const [id, live] of this.live) {
          if (live.store.subscriptionHash !== hash) continue;
          live.job?.controller.abort();
          this.live.delete(id);
        }
        this.deps.store(hash).dropIndex();
      }),
    );
  }

  /** The conversation in memory, if it belongs to this subscription (ids are random, but accounts never share one). */
  private cached(hash: string, id: string): LiveConversation | undefined {
    const live = this.live.get(id);
    return live?.store.subscriptionHash === hash ? live : undefined;
  }

  private showIfNone(port: ChatPort, id: string): void {
    if (this.hub.shownBy(port) === null) this.hub.show(port, id);
  }

  private evictIfUnused(id: string): void {
    const live = this.live.get(id);
    if (live && !live.job && !this.hub.isShown(id)) this.live.delete(id);
  }
}

const busy = () => new ExtensionError('chat_busy', 'ExpressAI is still writing an answer here. Stop it or wait for it to finish.');
const notFound = () => new ExtensionError('conversation_not_found', 'That conversation no longer exists.');
