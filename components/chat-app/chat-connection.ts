/**
 * The page's end of the chat port. The background may be stopped at any
 * moment (Chrome stops idle service workers; Firefox unloads event pages), so
 * a dropped port is reopened, and the page asks again for what it shows.
 */
import { browser } from 'wxt/browser';
import { CHAT_PORT_NAME, type ChatPortEvent, type ChatPortRequest } from '@/utils/messages';

export type ConnectionState = 'connecting' | 'connected' | 'unavailable';

interface PortLike {
  postMessage(message: unknown): void;
  disconnect(): void;
  onMessage: { addListener(listener: (message: unknown) => void): void };
  onDisconnect: { addListener(listener: () => void): void };
}

const RETRY_DELAYS_MS = [100, 500, 1000, 2000, 5000];

export class ChatConnection {
  private port: PortLike | undefined;
  private closed = false;
  private attempt = 0;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private readonly listeners = new Set<(event: ChatPortEvent) => void>();
  private readonly stateListeners = new Set<(state: ConnectionState) => void>();
  state: ConnectionState = 'connecting';

  constructor(private readonly open: () => PortLike = () => browser.runtime.connect({ name: CHAT_PORT_NAME }) as unknown as PortLike) {}

  /** Connects; `onConnected` runs after every (re)connection, to ask for the page's state again. */
  start(onConnected: () => void): void {
    this.onConnected = onConnected;
    this.connect();
  }

  private onConnected: () => void = () => {};

  private connect(): void {
    if (this.closed) return;
    try {
      const port = this.open();
      port.onMessage.addListener((message) => {
        for (const listener of this.listeners) listener(message as ChatPortEvent);
      });
      port.onDisconnect.addListener(() => {
        if (this.port !== port) return;
        this.port = undefined;
        this.retry();
      });
      this.port = port;
      this.attempt = 0;
      this.setState('connected');
      this.onConnected();
    } catch {
      this.retry();
    }
  }

  private retry(): void {
    if (this.closed) return;
    this.setState(this.attempt >= 2 ? 'unavailable' : 'connecting');
    const delay = RETRY_DELAYS_MS[Math.min(this.attempt++, RETRY_DELAYS_MS.length - 1)]!;
    this.timer = setTimeout(() => this.connect(), delay);
  }

  /** Posts a request; returns false when there is no connection right now (the caller tells the user). */
  post(request: ChatPortRequest): boolean {
    if (!this.port) return false;
    try {
      this.port.postMessage(request);
      return true;
    } catch {
      return false;
    }
  }

  subscribe(listener: (event: ChatPortEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  onState(listener: (state: ConnectionState) => void): () => void {
    this.stateListeners.add(listener);
    return () => this.stateListeners.delete(listener);
  }

  /** Reconnects at once (the "Reconnect" button). */
  reconnectNow(): void {
    clearTimeout(this.timer);
    this.attempt = 0;
    if (!this.port) this.connect();
  }

  close(): void {
    this.closed = true;
    clearTimeout(this.timer);
    const port = this.port;
    this.port = undefined;
    try {
      port?.disconnect();
    } catch {
      // Already gone.
    }
  }

  private setState(state: ConnectionState): void {
    if (this.state === state) return;
    this.state = state;
    for (const listener of this.stateListeners) listener(state);
  }
}
