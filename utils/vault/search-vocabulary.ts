/**
 * The index's tokens in sorted order, for prefix lookups by binary search.
 * New tokens wait in a small buffer and are merged on the next lookup, so a
 * chat that adds a few new words never triggers a full re-sort.
 */
export class SortedVocabulary {
  private sorted: string[] = [];
  private pending: string[] = [];

  add(token: string): void {
    this.pending.push(token);
  }

  /** Tokens starting with `prefix`, in order. */
  withPrefix(prefix: string): string[] {
    this.merge();
    const found: string[] = [];
    for (let i = this.lowerBound(prefix); i < this.sorted.length && this.sorted[i]!.startsWith(prefix); i++) found.push(this.sorted[i]!);
    return found;
  }

  private merge(): void {
    if (this.pending.length === 0) return;
    if (this.pending.length > 1000) {
      this.sorted = [...this.sorted, ...this.pending].sort();
    } else {
      for (const token of this.pending) this.sorted.splice(this.lowerBound(token), 0, token);
    }
    this.pending = [];
  }

  private lowerBound(value: string): number {
    let lo = 0;
    let hi = this.sorted.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.sorted[mid]! < value) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }
}
