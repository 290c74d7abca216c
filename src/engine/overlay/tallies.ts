/** The queries about each torrent that reached this tab (for tests and diagnosis). */
import type { QueryTally } from './overlay-types.ts';

/** Torrents whose queries are tallied: the most recent ones (a query names any info-hash). */
const TALLIED_TORRENTS = 64;

/**
 * Every tab re-asks its neighbours for a torrent short of peers, so the overlay's totals move
 * with all of them: these are per torrent, for the most recent ones.
 */
export class QueryTallies {
  private readonly tallies = new Map<string, QueryTally>();

  /** The queries about `infoHash` (all zero: none, or long ago). */
  of(infoHash: string): QueryTally {
    return { ...(this.tallies.get(infoHash) ?? { received: 0, forwarded: 0, duplicates: 0 }) };
  }

  /** The live tally of `infoHash`, made (and the oldest forgotten) if need be. */
  live(infoHash: string): QueryTally {
    let tally = this.tallies.get(infoHash);
    if (!tally) {
      tally = { received: 0, forwarded: 0, duplicates: 0 };
      this.tallies.set(infoHash, tally);
      const oldest = this.tallies.keys().next().value;
      if (this.tallies.size > TALLIED_TORRENTS && oldest !== undefined) this.tallies.delete(oldest);
    }
    return tally;
  }
}
