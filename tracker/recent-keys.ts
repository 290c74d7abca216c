/**
 * The `max` keys most recently touched, oldest first (a Map keeps insertion order, and a
 * touched key is moved to the end). Touching one more than `max` returns the oldest, which
 * is forgotten: the tracker forgets the torrent announced to longest ago.
 */
export class RecentKeys {
  private readonly keys = new Map<string, true>();

  constructor(private readonly max: number) {}

  get size(): number {
    return this.keys.size;
  }

  /** Marks `key` as the most recent; returns the key that was evicted for it, if any. */
  touch(key: string): string | undefined {
    this.keys.delete(key);
    this.keys.set(key, true);
    if (this.keys.size <= this.max) return undefined;
    const oldest = this.keys.keys().next().value;
    if (oldest !== undefined) this.keys.delete(oldest);
    return oldest;
  }

  delete(key: string): void {
    this.keys.delete(key);
  }

  all(): string[] {
    return [...this.keys.keys()];
  }
}
