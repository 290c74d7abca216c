/**
 * A token bucket: `burst` at once, then `perS` a second. A connection spends from it for each
 * message it sends; one that spends faster than it refills is refused until it slows down.
 * The clock is passed in, so the rule is the same in a test as on the wire.
 */
export class Budget {
  private tokens: number;
  private lastMs: number;

  constructor(
    private readonly burst: number,
    private readonly perS: number,
    nowMs: number,
  ) {
    this.tokens = burst;
    this.lastMs = nowMs;
  }

  /** Spends `cost` if there is that much left; says whether it did. */
  spend(cost: number, nowMs: number): boolean {
    const elapsedS = Math.max(0, nowMs - this.lastMs) / 1000;
    this.tokens = Math.min(this.burst, this.tokens + elapsedS * this.perS);
    this.lastMs = nowMs;
    if (cost > this.tokens) return false;
    this.tokens -= cost;
    return true;
  }
}
