/**
 * Every patch of webtorrent's behaviour, applied to one torrent as it is added. The private
 * members the patches rely on are checked first (shape.ts): a webtorrent that lacks one is
 * refused at the add, or fails the torrent once it is ready, with an error naming the member,
 * instead of a feature silently off.
 */
import type { WtTorrent } from 'webtorrent/dist/webtorrent.min.js';
import { streamFirstRequests } from './patches/first-requests.ts';
import { promptCritical } from './patches/prompt-critical.ts';
import { postRequestRounds } from './patches/unthrottled-round.ts';
import { takeMetadataOnce } from './patches/metadata-once.ts';
import { useLinearRarestPiece } from './patches/rarest-piece.ts';
import { boundPipeline } from './patches/request-pipeline.ts';
import { gateRequests } from './patches/request-steering.ts';
import { keepPriorityOrder } from './patches/selection-order.ts';
import { skipVerifyPass } from './patches/verify-pass.ts';
import { boundTrackersOnDiscovery } from './patches/tracker-reconnect.ts';
import { onDiscovery } from './patches/on-discovery.ts';
import { skipKnownPeerOffers } from './patches/known-peer-offers.ts';
import { banLiars } from './patches/hash-bans.ts';
import { holdRequests, holdsOf } from './patches/held-requests.ts';
import { guardWire, type GuardedTorrent } from './patches/wire-guard.ts';
import { bansOf, refuseCutOff } from './bans.ts';
import { checkAddedShape, checkShape, checkWireShape } from './shape.ts';

export interface TuneHooks {
  /** Whether the torrent's store is known to hold nothing (nothing to verify). */
  emptyStore(): boolean;
  /** The torrent cannot run as tuned (a member is missing once ready). */
  failed(err: Error): void;
  /** A tracker's offer from a peer the torrent already had was not answered. */
  offerSkipped?(): void;
}

/** Tunes a torrent just added (throws a WebTorrentShapeError if it cannot be). */
export function tune(wt: WtTorrent, hooks: TuneHooks): void {
  checkAddedShape(wt);
  // Stream windows stay ahead of the streams' own selections.
  keepPriorityOrder(wt);
  // New peers start on the stream's pieces.
  streamFirstRequests(wt);
  // A piece a stream waits for is requested in the task that marked it critical.
  promptCritical(wt);
  // Request rounds run as posted tasks: a hidden tab's idle callbacks come about once a second.
  postRequestRounds(wt);
  // Metadata may come from a neighbour's `wire` message and from ut_metadata: the first wins.
  takeMetadataOnce(wt);
  // A snubbed peer (policy/snub.ts, through the port) is asked for nothing: after
  // streamFirstRequests, so that its wrapper of the request round is skipped too.
  holdRequests(wt, holdsOf(wt));
  // Urgent pieces go to the peers that deliver them soonest (policy/request-queue.ts).
  gateRequests(wt);
  // Peers that lie or flood are cut off, and not let back in.
  const bans = bansOf(wt);
  refuseCutOff(wt, bans);
  banLiars(wt, bans);
  const layout = (): GuardedTorrent | null =>
    wt.pieces.length === 0
      ? null
      : {
          pieceCount: wt.pieces.length,
          pieceBytes: (i) => Math.min(wt.pieceLength, wt.length - i * wt.pieceLength),
        };
  wt.on('wire', (wire) => {
    boundPipeline(wire);
    if (wire.type === 'webSeed') return;
    try {
      checkWireShape(wire);
    } catch (err) {
      hooks.failed(err instanceof Error ? err : new Error(String(err)));
      return;
    }
    guardWire(wire, layout, (reason) => {
      bans.cutOff(wire, reason);
    });
  });
  // A tracker gone is tried again within 30 s, and one may not set a wild announce interval:
  // from the moment its discovery makes the torrent's trackers.
  boundTrackersOnDiscovery(wt, (err) => {
    hooks.failed(err);
  });
  // A tracker's offer from a peer already connected (a neighbour whose wire runs over its
  // connection) is not answered: webtorrent would drop it as a duplicate once made.
  onDiscovery(wt, (trackers) => {
    skipKnownPeerOffers(
      trackers,
      (id) => wt._peers?.has(id) ?? false,
      () => hooks.offerSkipped?.(),
    );
  });
  wt.on('metadata', () => {
    // Nothing to verify in a store found empty: webtorrent would ask it for every piece.
    if (hooks.emptyStore()) skipVerifyPass(wt);
    useLinearRarestPiece(wt);
  });
  wt.on('ready', () => {
    try {
      checkShape(wt);
    } catch (err) {
      hooks.failed(err instanceof Error ? err : new Error(String(err)));
      return;
    }
    useLinearRarestPiece(wt);
    // Choking is ours (assist/peer-assist.ts): 4 + 1 slots, not stock's 10 s rechoke.
    if (wt._rechokeIntervalId) clearInterval(wt._rechokeIntervalId);
  });
}
