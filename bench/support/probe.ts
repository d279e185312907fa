/**
 * The in-page half of every timing: installed before the page's own scripts
 * (`evaluateOnNewDocument`), it runs one animation-frame loop that records
 * frame times and, after each frame is painted, runs the checks the bench
 * registered ("is the message box there?", "is the last chunk shown?").
 * Times are `performance.now()` of the page: milliseconds since its
 * navigation started. These functions are serialised into the page, so each
 * must stand alone (no imports, no outer variables).
 */

/** What the bench reads back; see {@link installProbe}. */
export interface ProbeState {
  /** PerformanceObserver 'longtask' entries: tasks of 50 ms or more. */
  longTasks: { start: number; duration: number }[];
  /** rAF timestamps while `recording`. */
  frames: number[];
  recording: boolean;
  /** First post-paint time each named thing was seen. */
  seen: Record<string, number>;
  /** `event.timeStamp` of the last click on a button named "Send" (the send time). */
  sendAt: number | null;
  /** `event.timeStamp` of the last click on each button, by its name. */
  clicks: Record<string, number>;
  /** Moves long tasks the observer has not delivered yet into `longTasks`. */
  takeRecords(): void;
}

export function installProbe(): void {
  const g = globalThis as unknown as { __benchProbe?: ProbeState & { checks: ((t: number) => void)[] } };
  if (g.__benchProbe) return;
  const probe: ProbeState & { checks: ((t: number) => void)[] } = { longTasks: [], frames: [], recording: false, seen: {}, sendAt: null, clicks: {}, checks: [], takeRecords: () => {} };
  g.__benchProbe = probe;
  try {
    const keep = (entries: PerformanceEntryList) => {
      for (const e of entries) probe.longTasks.push({ start: e.startTime, duration: e.duration });
    };
    const observer = new PerformanceObserver((list) => keep(list.getEntries()));
    observer.observe({ type: 'longtask', buffered: true });
    probe.takeRecords = () => keep(observer.takeRecords());
  } catch {
    // No long-task timing in this browser: the bench reports none seen.
  }
  addEventListener(
    'click',
    (event) => {
      const button = (event.target as Element | null)?.closest?.('button');
      const name = (button?.getAttribute('aria-label') ?? button?.textContent ?? '').trim();
      if (!name) return;
      probe.clicks[name] = event.timeStamp;
      if (name === 'Send') probe.sendAt = event.timeStamp;
    },
    true,
  );
  // A message posted from a frame callback is handled after that frame was painted.
  const channel = new MessageChannel();
  channel.port1.onmessage = () => {
    const t = performance.now();
    for (const check of probe.checks) check(t);
  };
  const frame = (ts: number) => {
    if (probe.recording) probe.frames.push(ts);
    channel.port2.postMessage(null);
    requestAnimationFrame(frame);
  };
  requestAnimationFrame(frame);
}

/**
 * Marks when each kind of "ready" control first shows: the message box, or,
 * where the page shows something else first, what it shows instead.
 */
export function installReadyCheck(): void {
  const probe = (globalThis as unknown as { __benchProbe: ProbeState & { checks: ((t: number) => void)[] } }).__benchProbe;
  const buttonNamed = (name: string) =>
    Array.from(document.querySelectorAll('button')).some((b) => !b.disabled && (b.getAttribute('aria-label') ?? b.textContent ?? '').trim() === name);
  const kinds: Record<string, () => boolean> = {
    'message box': () => {
      const box = document.querySelector<HTMLTextAreaElement | HTMLInputElement>('textarea[aria-label="Message"], input[aria-label="Message"], [role="textbox"][aria-label="Message"]');
      return !!box && !(box as HTMLTextAreaElement).disabled && box.getClientRects().length > 0;
    },
    'unlock form': () => buttonNamed('Unlock'),
    'create-password form': () => buttonNamed('Create master password'),
    'sign-in button': () => buttonNamed('Sign in'),
    // Signed in and unlocked, but no message box (yet): the chat area is what shows.
    'unlocked chat area': () => buttonNamed('Lock now') && !document.querySelector('input[type="password"]'),
    // Not a ready state: the account line, which needs the background's answer (a step of the open time).
    'account shown': () => Array.from(document.querySelectorAll('[role="status"]')).some((e) => /Signed in as|signed out/.test(e.textContent ?? '')),
  };
  const check = (t: number) => {
    for (const [kind, present] of Object.entries(kinds)) if (!(kind in probe.seen) && present()) probe.seen[kind] = t;
    // The message box is where every page ends up: stop looking, so the check costs a streaming page nothing.
    if ('message box' in probe.seen) probe.checks.splice(probe.checks.indexOf(check), 1);
  };
  probe.checks.push(check);
}

/**
 * Watches the log "Conversation" for one streamed bench answer: `firstText`
 * when its first word ("Bench") shows, `lastChunk` when its final list item
 * ("Point three" after "Point one of section 10") shows, both only after
 * `prompt` appeared, so an earlier conversation cannot count. Reads only the
 * last text nodes; when the prompt is no longer among them, that much answer
 * text follows it, so the answer's first text is surely showing.
 */
export function watchStream(prompt: string): void {
  const probe = (globalThis as unknown as { __benchProbe: ProbeState & { checks: ((t: number) => void)[] } }).__benchProbe;
  delete probe.seen.promptShown;
  delete probe.seen.firstText;
  delete probe.seen.lastChunk;
  probe.sendAt = null;
  const TAIL_NODES = 80;
  /** The text of the last text nodes, cut at the prompt if it is among them. */
  const tail = (root: Element): { text: string; afterPrompt: boolean } => {
    let node: Node = root;
    while (node.lastChild) node = node.lastChild;
    const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
    walker.currentNode = node;
    const parts: string[] = [];
    for (let n: Node | null = node.nodeType === Node.TEXT_NODE ? node : walker.previousNode(); n && parts.length < TAIL_NODES; n = walker.previousNode()) {
      const text = n.textContent ?? '';
      if (text.includes(prompt)) return { text: parts.reverse().join(''), afterPrompt: true };
      parts.push(text);
    }
    return { text: parts.reverse().join(''), afterPrompt: false };
  };
  probe.checks.push((t) => {
    if ('lastChunk' in probe.seen) return;
    const log = document.querySelector('[role="log"][aria-label="Conversation"]') ?? document.querySelector('[role="log"]');
    if (!log) return;
    const { text, afterPrompt } = tail(log);
    if (!('promptShown' in probe.seen)) {
      if (!afterPrompt) return;
      probe.seen.promptShown = t;
    }
    if (!('firstText' in probe.seen) && (text.includes('Bench') || !afterPrompt)) probe.seen.firstText = t;
    if (/Point one of section 10[\s\S]*Point three/.test(text)) probe.seen.lastChunk = t;
  });
}
