/**
 * How the open tail of a streamed answer is shown. A short tail is rendered
 * whole on every update. A long one (a huge list, say) is shown as
 * provisional pieces cut at list items or after blank lines: finished pieces
 * stay, only the last is rendered again, so a frame's work stays small. The
 * pieces are for display only; the tail's final rendering comes from the
 * whole block once it is finished.
 */

/** How a view must change the tail: keep its first `keep` pieces, drop the rest, append `add`. */
export interface TailPiecesUpdate {
  kind: 'pieces';
  keep: number;
  add: string[];
}

/** Tails longer than this are shown in pieces (and re-parsed less often). */
export const LONG_TAIL_CHARS = 16 * 1024;
/** Provisional pieces are at least this long. */
const PIECE_CHARS = 4 * 1024;

export class TailPieces {
  private ends: number[] = [];
  private searchedTo = 0;
  private openRendered = 0;
  /** True when text was left unrendered to keep up with a fast stream. */
  stale = false;

  /** The tail no longer starts where it did (part of it was committed). */
  reset(): void {
    this.ends = [];
    this.searchedTo = 0;
    this.openRendered = 0;
    this.stale = false;
  }

  /**
   * The update for the current tail, or `null` to skip this frame: while text
   * is still pouring in (`busy`), a long last piece without a cut is
   * re-rendered only once it grew by an eighth, so its total cost stays linear.
   */
  update(tail: string, render: (source: string) => string, busy: boolean): TailPiecesUpdate | null {
    const keep = this.ends.length;
    let start = this.ends.at(-1) ?? 0;
    const add: string[] = [];
    if (tail.length > LONG_TAIL_CHARS) {
      for (let cut = this.nextCut(tail, start); cut > 0; cut = this.nextCut(tail, start)) {
        add.push(render(tail.slice(start, cut)));
        this.ends.push(cut);
        start = cut;
      }
    }
    const open = tail.length - start;
    if (add.length === 0 && busy && open > LONG_TAIL_CHARS && open - this.openRendered < open / 8) {
      this.stale = true;
      return null;
    }
    add.push(open > 0 ? render(tail.slice(start)) : '');
    this.openRendered = open;
    this.stale = false;
    return { kind: 'pieces', keep, add };
  }

  /**
   * A line start at least {@link PIECE_CHARS} after `start` where a list item
   * or a block after a blank line begins. Only complete lines are judged.
   */
  private nextCut(tail: string, start: number): number {
    const from = Math.max(start + PIECE_CHARS, this.searchedTo);
    for (let nl = tail.indexOf('\n', from - 1); nl !== -1; nl = tail.indexOf('\n', nl + 1)) {
      const line = nl + 1;
      const lineEnd = tail.indexOf('\n', line);
      if (lineEnd === -1) {
        this.searchedTo = line;
        return -1;
      }
      const text = tail.slice(line, lineEnd);
      const prevStart = tail.lastIndexOf('\n', nl - 1) + 1;
      const afterBlank = /^[ \t]*$/.test(tail.slice(prevStart, nl)) && /^\S/.test(text);
      if (afterBlank || /^(?:[-*+]|\d{1,9}[.)])(?:[ \t]|$)/.test(text)) {
        this.searchedTo = line + 1;
        return line;
      }
    }
    this.searchedTo = from;
    return -1;
  }
}
