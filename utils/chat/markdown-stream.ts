/**
 * Incremental markdown for a streamed answer. The text is split into
 * finished segments, rendered once and never touched again, and an open
 * tail, the only part re-rendered as text arrives. The cost of each update
 * is bounded by the tail, not by the answer. After `end()` the segments'
 * HTML, joined, is exactly the one-shot rendering of the whole text.
 */
import type { MarkdownIt, Token } from 'markdown-it';
import { findCommitLine, lineStarts, openFenceOf, type OpenFence } from './markdown-blocks';
import { chatMarkdown } from './markdown-setup';
import { LONG_TAIL_CHARS, TailPieces, type TailPiecesUpdate } from './markdown-tail';

type References = Record<string, { href: string; title: string }>;

export interface RenderedSegment {
  id: number;
  html: string;
}

/** How the open tail changed: kept as is, re-rendered in pieces, or a code block still being written. */
export type TailUpdate =
  | { kind: 'same' }
  | TailPiecesUpdate
  | { kind: 'code'; fenceId: number; language: string; append: string; partial: string };

/** What a view must do to show the latest text. */
export interface MarkdownPatch {
  /** New finished segments, to go after the existing ones, in order. */
  added: RenderedSegment[];
  /** Earlier segments whose HTML changed (a link reference defined later in the answer). */
  changed: RenderedSegment[];
  tail: TailUpdate;
}

interface Segment extends RenderedSegment {
  source: string;
  /** Reference labels its links looked up: it depends on those definitions only. */
  labels: Set<string>;
}

const EMPTY_TAIL: TailUpdate = { kind: 'pieces', keep: 0, add: [] };

export class MarkdownStream {
  private readonly md: MarkdownIt;
  private pending = '';
  private heldCR = false;
  private tail = '';
  private ended = false;
  private finished = false;
  private readonly segments: Segment[] = [];
  private nextId = 1;
  private committedRefs: References = {};
  private knownRefs: References = {};
  private fence: (OpenFence & { id: number; scanFrom: number }) | null = null;
  /** Complete lines of the tail already checked for cuts. */
  private scannedTo = 0;
  /** Complete lines of the tail at its last block parse. */
  private parsedTo = 0;
  /** New lines may allow a cut, but the block parse waits (a long tail while text pours in). */
  private cutPossible = false;
  private readonly pieces = new TailPieces();

  constructor(md: MarkdownIt = chatMarkdown()) {
    this.md = md;
  }

  /** Adds received text. Cheap: the work happens in {@link flush}. */
  append(text: string): void {
    if (this.ended) throw new Error('markdown stream already ended');
    let chunk = this.heldCR ? `\r${text}` : text;
    // A CR at a chunk's end may be the first half of CRLF; decide when the next chunk comes.
    this.heldCR = chunk.endsWith('\r');
    if (this.heldCR) chunk = chunk.slice(0, -1);
    this.pending += chunk.replace(/\r\n?/g, '\n');
  }

  /** No more text will come. */
  end(): void {
    if (this.ended) return;
    if (this.heldCR) this.pending += '\n';
    this.heldCR = false;
    this.ended = true;
  }

  /** True while a {@link flush} would change what is shown. */
  get dirty(): boolean {
    if (this.finished) return false;
    return this.pending.length > 0 || this.pieces.stale || this.cutPossible || this.ended;
  }

  /** Characters in the open tail (received but not final): what an update may re-render. */
  get tailLength(): number {
    return this.tail.length;
  }

  get segmentCount(): number {
    return this.segments.length;
  }

  /** The finished segments' HTML; after `end()` and flushing until not {@link dirty}, the whole answer. */
  get html(): string {
    return this.segments.map((s) => s.html).join('');
  }

  /**
   * Processes up to `maxChars` of the received text and returns what changed.
   * Call it once per animation frame, and again while {@link dirty}.
   */
  flush(maxChars = Number.POSITIVE_INFINITY): MarkdownPatch {
    const patch: MarkdownPatch = { added: [], changed: [], tail: { kind: 'same' } };
    if (this.finished) return patch;
    let take = Math.min(this.pending.length, maxChars);
    // Never split a surrogate pair between two flushes.
    if (take < this.pending.length && take > 0 && isHighSurrogate(this.pending.charCodeAt(take - 1))) {
      take += take === 1 ? 1 : -1;
    }
    this.tail += this.pending.slice(0, take);
    this.pending = this.pending.slice(take);
    if (this.ended && this.pending.length === 0) {
      this.finish(patch);
      return patch;
    }
    if (this.fence) this.scanFence(patch);
    if (!this.fence) {
      this.commitFinishedBlocks(patch, take > 0);
      if (this.fence) this.scanFence(patch);
      else this.renderTail(patch, take > 0);
    }
    return patch;
  }

  /**
   * Moves every block that nothing later can change out of the tail, into
   * segments. While text pours in (`busy`), a long tail is re-parsed only
   * once it grew by an eighth, so the parsing stays linear overall.
   */
  private commitFinishedBlocks(patch: MarkdownPatch, busy: boolean): void {
    const completeEnd = this.tail.lastIndexOf('\n') + 1;
    if (completeEnd > this.scannedTo) {
      // Re-read from the last line already seen: a blank line there makes the next line a possible cut.
      const from = this.scannedTo === 0 ? 0 : this.tail.lastIndexOf('\n', this.scannedTo - 2) + 1;
      if (mayAddCut(this.tail.slice(from, completeEnd))) this.cutPossible = true;
      this.scannedTo = completeEnd;
    }
    if (!this.cutPossible) return;
    if (busy && completeEnd > LONG_TAIL_CHARS && completeEnd - this.parsedTo < completeEnd / 8) return;
    this.cutPossible = false;
    this.parsedTo = completeEnd;
    const source = this.tail.slice(0, completeEnd);
    const { tokens, references } = this.blockParse(source);
    this.updateReferences(references, patch);
    const starts = lineStarts(source);
    const commitLine = findCommitLine(tokens, source, starts);
    const fence = openFenceOf(tokens, source, starts);
    let cut = 0;
    if (commitLine > 0) {
      cut = starts[commitLine] ?? source.length;
      for (const token of tokens) {
        const label = token.type === 'reference_definition' ? String(token.meta?.label) : '';
        const ref = references[label];
        if (label && token.map![0] < commitLine && ref && !Object.hasOwn(this.committedRefs, label)) this.committedRefs[label] = ref;
      }
      this.commit(source.slice(0, cut), patch);
      this.tail = this.tail.slice(cut);
      this.scannedTo -= cut;
      this.parsedTo -= cut;
    }
    // An unclosed fence is the last block and everything before it was just
    // committed, so the tail now starts with its opening line.
    if (fence && fence.start === cut) this.fence = { ...fence, id: this.nextId++, scanFrom: fence.openingEnd - cut };
  }

  /** Block structure only (no inline parsing): cheap enough to redo for a long tail. */
  private blockParse(source: string): { tokens: Token[]; references: References } {
    const env = { references: { ...this.committedRefs } };
    const tokens: Token[] = [];
    this.md.block.parse(source, this.md, env, tokens);
    return { tokens, references: env.references };
  }

  private commit(source: string, patch: MarkdownPatch): void {
    const labels = new Set<string>();
    const html = this.render(source, labels);
    const segment: Segment = { id: this.nextId++, html, source, labels };
    this.segments.push(segment);
    patch.added.push({ id: segment.id, html });
    this.pieces.reset();
    patch.tail = EMPTY_TAIL;
  }

  /** Renders with every definition known so far; `labels` collects the ones the links looked up. */
  private render(source: string, labels?: Set<string>): string {
    const references = { ...this.knownRefs };
    if (!labels) return this.md.render(source, { references });
    const watched = new Proxy(references, {
      get: (target, key) => {
        if (typeof key === 'string') labels.add(key);
        return Reflect.get(target, key);
      },
    });
    return this.md.render(source, { references: watched });
  }

  /** A code block being written: new lines are appended as plain text until its closing fence arrives. */
  private scanFence(patch: MarkdownPatch): void {
    const fence = this.fence!;
    let pos = fence.scanFrom;
    let appended = '';
    for (let nl = this.tail.indexOf('\n', pos); nl !== -1; nl = this.tail.indexOf('\n', pos)) {
      const line = this.tail.slice(pos, nl);
      if (fence.closes(line)) {
        this.fence = null;
        this.commit(this.tail.slice(0, nl + 1), patch);
        this.tail = this.tail.slice(nl + 1);
        this.scannedTo = 0;
        this.parsedTo = 0;
        return;
      }
      appended += `${stripIndent(line, fence.indent)}\n`;
      pos = nl + 1;
    }
    fence.scanFrom = pos;
    patch.tail = { kind: 'code', fenceId: fence.id, language: fence.language, append: appended, partial: this.tail.slice(pos) };
  }

  private renderTail(patch: MarkdownPatch, busy: boolean): void {
    if (!busy && !this.pieces.stale && patch.tail.kind === 'same') return;
    const update = this.pieces.update(this.tail, (source) => this.render(source), busy);
    if (update) patch.tail = update;
  }

  /** The end: whatever the tail holds becomes the last segment. */
  private finish(patch: MarkdownPatch): void {
    this.fence = null;
    this.finished = true;
    this.cutPossible = false;
    this.updateReferences(this.blockParse(this.tail).references, patch);
    if (this.tail) this.commit(this.tail, patch);
    this.tail = '';
    patch.tail = EMPTY_TAIL;
  }

  /**
   * Link references are global in markdown: a definition may come after the
   * link that uses it. Finished segments that looked up a definition that
   * has since appeared or changed are rendered again (rare, and only those).
   */
  private updateReferences(references: References, patch: MarkdownPatch): void {
    const before = this.knownRefs;
    this.knownRefs = references;
    const changed = new Set<string>();
    for (const label of new Set([...Object.keys(before), ...Object.keys(references)])) {
      const a = before[label];
      const b = references[label];
      if (a?.href !== b?.href || a?.title !== b?.title) changed.add(label);
    }
    if (changed.size === 0) return;
    for (const segment of this.segments) {
      if (![...segment.labels].some((label) => changed.has(label))) continue;
      const labels = new Set<string>();
      const html = this.render(segment.source, labels);
      segment.labels = labels;
      if (html === segment.html) continue;
      segment.html = html;
      patch.changed.push({ id: segment.id, html });
    }
  }
}

/**
 * Whether new lines can create a cut (see `findCommitLine`): only a blank
 * line, or a line that may open or close a fence or be an ATX heading. Saves
 * re-parsing a long list or table on every frame.
 */
function mayAddCut(lines: string): boolean {
  return /(^|\n)[ \t]*\n|(^|\n) {0,3}[#`~]/.test(lines);
}

function stripIndent(line: string, indent: number): string {
  let i = 0;
  while (i < indent && line.charCodeAt(i) === 0x20) i++;
  return line.slice(i);
}

function isHighSurrogate(code: number): boolean {
  return code >= 0xd800 && code <= 0xdbff;
}
