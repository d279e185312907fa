/**
 * The connected pages. Each port shows one conversation at a time; deltas of
 * a streaming answer are gathered for a moment and sent to every port showing
 * it, and a snapshot always replaces what was gathered (it contains it).
 */
import type { ChatPortEvent } from '../messages';

/** The part of `runtime.Port` the hub uses. */
export interface ChatPort {
  postMessage(message: ChatPortEvent): void;
}

/** Deltas are sent at most this often: a 3-word chunk must not cost a message per page. */
export const DELTA_FLUSH_MS = 25;

interface Pending {
  id: string;
  text: string;
}

export class PortHub {
  private readonly showing = new Map<ChatPort, string | null>();
  private readonly pending = new Map<string, Pending>();
  private timer: ReturnType<typeof setTimeout> | undefined;

  add(port: ChatPort): void {
    this.showing.set(port, null);
  }

  remove(port: ChatPort): void {
    this.showing.delete(port);
  }

  get size(): number {
    return this.showing.size;
  }

  /** Moves a port to a conversation; what was gathered so far goes out first, so the newcomer's snapshot is not followed by text it already has. */
  show(port: ChatPort, conversationId: string): void {
    this.flush();
    this.showing.set(port, conversationId);
  }

  /** The conversation the port shows, if any. */
  shownBy(port: ChatPort): string | null {
    return this.showing.get(port) ?? null;
  }

  /** Ports showing the conversation. */
  viewers(conversationId: string): ChatPort[] {
    return [...this.showing].filter(([, shown]) => shown === conversationId).map(([port]) => port);
  }

  isShown(conversationId: string): boolean {
    return this.viewers(conversationId).length > 0;
  }

  send(port: ChatPort, event: ChatPortEvent): void {
    try {
      port.postMessage(event);
    } catch {
      // The page went away between two events; its disconnect handler removes it.
      this.remove(port);
    }
  }

  /** Sends to every port showing the conversation (snapshots drop the deltas they already contain). */
  toViewers(conversationId: string, event: ChatPortEvent): void {
    if (event.type === 'conversation') this.pending.delete(conversationId);
    for (const port of this.viewers(conversationId)) this.send(port, event);
  }

  toAll(event: ChatPortEvent): void {
    for (const port of [...this.showing.keys()]) this.send(port, event);
  }

  delta(conversationId: string, id: string, text: string): void {
    const pending = this.pending.get(conversationId);
    if (pending && pending.id === id) pending.text += text;
    else {
      if (pending) this.flushOne(conversationId, pending);
      this.pending.set(conversationId, { id, text });
    }
    this.timer ??= setTimeout(() => this.flush(), DELTA_FLUSH_MS);
  }

  flush(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    const all = [...this.pending];
    this.pending.clear();
    for (const [conversationId, pending] of all) this.flushOne(conversationId, pending);
  }

  private flushOne(conversationId: string, { id, text }: Pending): void {
    for (const port of this.viewers(conversationId)) this.send(port, { type: 'delta', conversationId, id, text });
  }
}
