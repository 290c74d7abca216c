import { expect } from '@open-wc/testing';
import WebTorrent from 'webtorrent/dist/webtorrent.min.js';
import {
  binaryToHex,
  skipKnownPeerOffers,
} from '../../src/engine/swarm/patches/known-peer-offers.ts';
import { prepareSeed } from '../../src/engine/storage/seed-files.ts';
import { EmptyStore } from './support/ready-torrent.ts';

/** A peer id as the tracker protocol sends it: 20 bytes as a binary string. */
const binaryId = (byte: number): string => String.fromCharCode(...new Array<number>(20).fill(byte));

/** The real WebSocket tracker clients of a real torrent (their tracker refuses: nothing is sent). */
async function withTrackers(
  use: (trackers: readonly object[], infoHashBinary: string) => void,
): Promise<void> {
  const { torrentFile, infoHash } = await prepareSeed(
    [new File([new Uint8Array(16 * 1024)], 'a.bin')],
    [],
  );
  const client = new WebTorrent({ dht: false, webSeeds: false });
  try {
    const wt = client.add(torrentFile, { store: EmptyStore, announce: ['ws://127.0.0.1:9'] });
    const trackers = await new Promise<readonly object[]>((resolve) => {
      const poll = (): void => {
        const found = wt.discovery?.tracker?._trackers;
        if (found && found.length > 0) resolve(found);
        else setTimeout(poll, 10);
      };
      poll();
    });
    const binary = String.fromCharCode(
      ...(infoHash.match(/../g) ?? []).map((h) => parseInt(h, 16)),
    );
    use(trackers, binary);
  } finally {
    await new Promise<void>((resolve) => {
      client.destroy(() => {
        resolve();
      });
    });
  }
}

describe('a tracker offer from a peer the torrent already has (swarm/patches/known-peer-offers)', () => {
  it('is not answered: no connection is made for it; an unknown peer’s offer is', async () => {
    await withTrackers((trackers, infoHashBinary) => {
      const tracker = trackers[0] as {
        _createPeer: () => unknown;
        _onAnnounceResponse: (data: unknown) => void;
      };
      let made = 0;
      tracker._createPeer = () => {
        made++;
        // The stock client goes on to listen on and signal the connection it made.
        throw new Error('made');
      };
      let skipped = 0;
      const known = binaryToHex(binaryId(0xab));
      expect(known).to.equal('ab'.repeat(20));
      expect(
        skipKnownPeerOffers(
          trackers,
          (id) => id === known,
          () => skipped++,
        ),
      ).to.equal(trackers.length);
      // Wrapping twice wraps nothing more.
      expect(skipKnownPeerOffers(trackers, () => true)).to.equal(0);
      const offer = (peer: string): unknown => ({
        action: 'announce',
        info_hash: infoHashBinary,
        peer_id: peer,
        offer: { type: 'offer', sdp: 'v=0' },
        offer_id: binaryId(1),
      });
      tracker._onAnnounceResponse(offer(binaryId(0xab)));
      expect(made).to.equal(0);
      expect(skipped).to.equal(1);
      expect(() => {
        tracker._onAnnounceResponse(offer(binaryId(0xcd)));
      }).to.throw('made');
      expect(made).to.equal(1);
      expect(skipped).to.equal(1);
    });
  });
});
