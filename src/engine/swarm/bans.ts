/**
 * The peers a torrent has cut off, and the refusal that keeps them off: a peer cut off for a
 * reason (policy/trust.ts) is disconnected and never accepted again by that torrent, whether
 * the tracker offers it again (`addPeer`, refused by its peer id before any connection is
 * made) or it comes back by another way (a neighbour's channel: refused at its handshake).
 */
import type { WtTorrent, WtWire } from 'webtorrent/dist/webtorrent.min.js';
import type { CutOffReason } from '../policy/trust.ts';

/** A peer a torrent cut off, and why. */
export interface CutOffPeer {
  readonly remoteId: string;
  readonly reason: CutOffReason;
}

export class Bans {
  private readonly cut = new Map<string, CutOffReason>();
  /** Pieces whose data failed the hash check (each attempt counted). */
  hashFailures = 0;

  /** Disconnects a wire, and refuses its peer from now on. */
  cutOff(wire: WtWire, reason: CutOffReason): void {
    const id = wire.peerId;
    if (id && !this.cut.has(id)) this.cut.set(id, reason);
    if (!wire.destroyed) wire.destroy();
  }

  isCutOff(remoteId: string | null | undefined): boolean {
    return remoteId != null && this.cut.has(remoteId);
  }

  list(): readonly CutOffPeer[] {
    return [...this.cut].map(([remoteId, reason]) => ({ remoteId, reason }));
  }
}

const books = new WeakMap<object, Bans>();

/** The torrent's book (empty until a peer is cut off). */
export function bansOf(wt: object): Bans {
  let bans = books.get(wt);
  if (!bans) {
    bans = new Bans();
    books.set(wt, bans);
  }
  return bans;
}

/** Makes the torrent refuse the peers its book names. */
export function refuseCutOff(wt: WtTorrent, bans: Bans): void {
  const addPeer = wt.addPeer.bind(wt);
  wt.addPeer = (peer: unknown, source?: string): boolean => {
    const id = (peer as { id?: unknown } | null)?.id;
    if (typeof id === 'string' && bans.isCutOff(id)) {
      (peer as { destroy?: () => void }).destroy?.();
      return false;
    }
    return addPeer(peer, source);
  };
  wt.on('wire', (wire) => {
    // After webtorrent's own handling of the handshake has run (it answers it).
    if (bans.isCutOff(wire.peerId))
      queueMicrotask(() => {
        wire.destroy();
      });
  });
}
