/**
 * Applies {@link MarkdownPatch}es to a host element: finished segments are
 * inserted once and kept; only the tail's nodes are replaced. A code block
 * still being written grows by appending text nodes. Code in finished
 * segments is highlighted afterwards, off the frame that shows it.
 */
import { highlightCodeIn } from './code-highlighter';
import type { MarkdownPatch, RenderedSegment, TailUpdate } from './markdown-stream';

interface CodeTail {
  fenceId: number;
  code: HTMLElement;
  partial: Text;
}

export class MarkdownView {
  private readonly segments = new Map<number, ChildNode[]>();
  /** The tail's pieces, each a list of nodes (a code block being written is one piece). */
  private tailPieces: ChildNode[][] = [];
  private codeTail: CodeTail | null = null;

  constructor(private readonly host: HTMLElement) {}

  apply(patch: MarkdownPatch): void {
    for (const segment of patch.changed) this.replaceSegment(segment);
    for (const segment of patch.added) {
      const nodes = this.insert(segment.html, this.firstTailNode());
      this.segments.set(segment.id, nodes);
      highlightCodeIn(nodes);
    }
    this.applyTail(patch.tail);
  }

  /** Empties the host (a different answer is about to be shown). */
  clear(): void {
    this.host.replaceChildren();
    this.segments.clear();
    this.tailPieces = [];
    this.codeTail = null;
  }

  private replaceSegment(segment: RenderedSegment): void {
    const old = this.segments.get(segment.id);
    if (!old || old.length === 0) return;
    const nodes = this.insert(segment.html, old[0]!);
    this.segments.set(segment.id, nodes);
    for (const node of old) node.remove();
    highlightCodeIn(nodes);
  }

  private applyTail(tail: TailUpdate): void {
    if (tail.kind === 'same') return;
    if (tail.kind === 'pieces') {
      if (this.codeTail) this.removeTail(0);
      this.removeTail(tail.keep);
      for (const html of tail.add) this.tailPieces.push(this.insert(html, null));
      return;
    }
    if (this.codeTail?.fenceId !== tail.fenceId) {
      this.removeTail(0);
      this.codeTail = this.buildCodeTail(tail.fenceId, tail.language);
    }
    const { code, partial } = this.codeTail;
    if (tail.append) code.insertBefore(this.host.ownerDocument.createTextNode(tail.append), partial);
    if (partial.data !== tail.partial) partial.data = tail.partial;
  }

  /** Built with DOM calls, not HTML: the code is model output. */
  private buildCodeTail(fenceId: number, language: string): CodeTail {
    const doc = this.host.ownerDocument;
    const wrap = doc.createElement('div');
    wrap.className = 'md-code md-code-streaming';
    const bar = doc.createElement('div');
    bar.className = 'md-code-bar';
    const label = doc.createElement('span');
    label.className = 'md-code-lang';
    label.textContent = language || 'code';
    bar.append(label);
    const pre = doc.createElement('pre');
    const code = doc.createElement('code');
    code.className = language ? `hljs language-${language}` : 'hljs';
    const partial = doc.createTextNode('');
    code.append(partial);
    pre.append(code);
    wrap.append(bar, pre);
    this.host.append(wrap);
    this.tailPieces = [[wrap]];
    return { fenceId, code, partial };
  }

  /** Removes the tail's pieces from index `keep` on. */
  private removeTail(keep: number): void {
    for (const piece of this.tailPieces.splice(keep)) for (const node of piece) node.remove();
    if (keep === 0) this.codeTail = null;
  }

  private firstTailNode(): ChildNode | null {
    for (const piece of this.tailPieces) if (piece.length > 0) return piece[0]!;
    return null;
  }

  /** Parses trusted renderer output in an inert template and inserts its nodes before `before`. */
  private insert(html: string, before: ChildNode | null): ChildNode[] {
    if (!html) return [];
    const template = this.host.ownerDocument.createElement('template');
    template.innerHTML = html;
    const nodes = [...template.content.childNodes];
    this.host.insertBefore(template.content, before);
    return nodes;
  }
}
