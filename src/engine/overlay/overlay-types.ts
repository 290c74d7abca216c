/**
 * What the neighbour overlay (overlay.ts) needs of the swarm's client, and what it reports:
 * its counters since the page loaded, and each torrent's queries.
 */
import type { NeighbourDial, NeighbourLink, SignalSend } from '../swarm/port.ts';

/** What the overlay needs of the swarm's client. */
export interface OverlayClient {
  /** Our peer id: how neighbours name us. */
  readonly selfId: string;
  onNeighbour(cb: (link: NeighbourLink) => void): void;
  holds(infoHash: string): boolean;
  running(infoHash: string): boolean;
  wireOver(link: NeighbourLink, infoHash: string, id?: number): number | null;
  /** The torrent's bencoded info dictionary (null: not held, or no metadata yet). */
  infoOf(infoHash: string): Uint8Array | null;
  /**
   * Gives a running torrent that has no metadata yet its info dictionary, if it hashes to the
   * info-hash: `used`, `unneeded` (it has its metadata, or is gone) or `wrong` (nothing done).
   */
  supplyMetadata(
    infoHash: string,
    info: Uint8Array<ArrayBuffer>,
  ): Promise<'used' | 'unneeded' | 'wrong'>;
  dial(
    infoHash: string,
    remoteId: string,
    initiator: boolean,
    send: SignalSend,
    ended: () => void,
  ): NeighbourDial | null;
}

/** What the overlay has done since the page loaded (for tests and the UI). */
export interface OverlayStats {
  neighbours: number;
  queriesSent: number;
  queriesReceived: number;
  queriesAnswered: number;
  queriesForwarded: number;
  duplicatesDropped: number;
  floodsDropped: number;
  /** Hits for our own queries from a holder two hops away. */
  farHits: number;
  /** Torrent wires run over a neighbour's connection, opened by either end. */
  wires: number;
  /** Signals we relayed between two other tabs. */
  signalsRelayed: number;
  /** Torrents whose metadata came in a neighbour's `wire` message (no ut_metadata trip). */
  metadataFromWire: number;
  /** Info dictionaries in `wire` messages that did not hash to their info-hash. */
  metadataRefused: number;
  /** Connections made with signalling relayed by a neighbour (either end). */
  dials: number;
}

/** The queries about one torrent that reached this tab, and what became of them. */
export interface QueryTally {
  received: number;
  /** Sent on to a neighbour (one per neighbour it went to). */
  forwarded: number;
  /** Dropped as a repeat of one already seen. */
  duplicates: number;
}
