/**
 * A tracker's offer from a peer the torrent already has is not answered.
 *
 * bittorrent-tracker's WebSocket client builds an RTCPeerConnection and its answer for every
 * offer the tracker relays, and only then hands the connection to webtorrent, which drops a
 * peer whose id it already holds (`_addPeer`: "duplicate"). A neighbour that runs the
 * torrent's wire over its existing connection (the overlay) is such a peer: its tab announces
 * the torrent it has just added, and the tracker relays that announce's offers to us while
 * the wire over the neighbour's connection is already up. Answering cost the holder's main
 * thread a connection, an answer and an ICE gathering at the moment the new wire's handshake
 * and first requests arrived. Skipping the offer changes nothing webtorrent would have kept;
 * the offering side's unanswered offer times out as any other. The rest of the message
 * (interval, counts, answers) is handled as before.
 */

/** The WebSocket tracker client's member wrapped here. */
interface OfferTracker {
  _onAnnounceResponse: (data: unknown) => void;
}

/** An announce message that carries an offer from `peer_id` (a binary string). */
interface OfferMessage {
  readonly offer?: unknown;
  readonly peer_id?: unknown;
}

/** A binary string (one byte per char, as the tracker protocol sends ids) as hex. */
export function binaryToHex(binary: string): string {
  let hex = '';
  for (let i = 0; i < binary.length; i++) hex += binary.charCodeAt(i).toString(16).padStart(2, '0');
  return hex;
}

const wrapped = new WeakSet<object>();

/**
 * Makes each of a torrent's trackers skip offers from peers `has` knows (by hex peer id);
 * the trackers are the discovery's (`_trackers`). Returns how many were wrapped now.
 */
export function skipKnownPeerOffers(
  trackers: readonly object[],
  has: (peerIdHex: string) => boolean,
  skipped: () => void = () => undefined,
): number {
  let count = 0;
  for (const tracker of trackers) {
    const t = tracker as Partial<OfferTracker>;
    if (wrapped.has(tracker) || typeof t._onAnnounceResponse !== 'function') continue;
    wrapped.add(tracker);
    count++;
    const original = t._onAnnounceResponse.bind(tracker);
    t._onAnnounceResponse = (data: unknown) => {
      const message = data as OfferMessage | null;
      if (
        message?.offer &&
        typeof message.peer_id === 'string' &&
        has(binaryToHex(message.peer_id))
      ) {
        skipped();
        original({ ...message, offer: undefined });
        return;
      }
      original(data);
    };
  }
  return count;
}
