import { expect } from '@open-wc/testing';
import { withPieces } from '../../src/engine/policy/bitfield.ts';
import { RUNNING } from '../../src/engine/policy/lifecycle.ts';
import {
  clientOf,
  snapshotOf,
  summaryOf,
  summaryOfPieces,
  type LivePeer,
  type LiveTorrent,
  type RecordState,
} from '../../src/engine/snapshot.ts';

const MiB = 1024 * 1024;
const live = (over: Partial<LiveTorrent> = {}): LiveTorrent => ({
  name: 'Film',
  magnetURI: 'magnet:?xt=urn:btih:' + 'a'.repeat(40),
  ready: true,
  done: false,
  length: 10 * MiB,
  downloaded: 4 * MiB,
  uploaded: MiB,
  downloadSpeed: MiB,
  uploadSpeed: 1000,
  numPeers: 2,
  files: [
    {
      path: 'Film/a.mp4',
      name: 'a.mp4',
      offset: 0,
      length: 10 * MiB,
      downloaded: 4 * MiB,
      done: false,
    },
  ],
  pieceLength: MiB,
  pieces: { length: 10 },
  // Pieces 0-3 verified.
  bitfield: verifiedOf(10, (i) => i < 4),
  ...over,
});
/** webtorrent's bitfield of a torrent of `count` pieces holding those `held` says. */
function verifiedOf(count: number, held: (index: number) => boolean) {
  const pieces = Array.from({ length: count }, (_, i) => i).filter(held);
  return { get: held, buffer: withPieces(new Uint8Array(Math.ceil(count / 8)), pieces) };
}

const record = (over: Partial<RecordState> = {}): RecordState => ({
  infoHash: 'a'.repeat(40),
  torrentId: 'magnet:?xt=urn:btih:' + 'a'.repeat(40),
  name: null,
  wt: live(),
  life: RUNNING,
  warning: null,
  bitfield: null,
  summary: null,
  receivedBytes: 0,
  webSeedBytes: 0,
  addedAtMs: 1,
  ...over,
});

describe('snapshotOf', () => {
  it('shows a downloading torrent with its rate and ETA', () => {
    const s = snapshotOf(record());
    expect(s).to.include({
      state: 'downloading',
      progress: 0.4,
      downloadRateBytesPerS: MiB,
      etaS: 6,
      peers: 2,
    });
    expect(s.files[0]?.progress).to.equal(0.4);
    expect(s.files[0]?.verified).to.deep.equal([{ start: 0, end: 0.4 }]);
  });

  it('shows no download rate or ETA once done', () => {
    const s = snapshotOf(record({ wt: live({ done: true, downloaded: 10 * MiB }) }));
    expect(s).to.include({ state: 'seeding', downloadRateBytesPerS: 0, etaS: null, progress: 1 });
  });

  it('is not complete, and counts nothing as had, until the pieces verified last are on disk', () => {
    const whole = record({
      wt: live({
        done: true,
        downloaded: 10 * MiB,
        bitfield: verifiedOf(10, () => true),
        files: [
          {
            path: 'Film/a.mp4',
            name: 'a.mp4',
            offset: 0,
            length: 10 * MiB,
            downloaded: 10 * MiB,
            done: true,
          },
        ],
      }),
    });
    // Pieces 8 and 9 verified, still being written.
    const writing = snapshotOf(whole, new Set([8, 9]));
    expect(writing).to.include({ state: 'downloading', downloadedBytes: 8 * MiB, progress: 0.8 });
    expect(writing.files[0]).to.include({ downloadedBytes: 8 * MiB, progress: 0.8 });
    expect(writing.files[0]?.verified).to.deep.equal([{ start: 0, end: 0.8 }]);
    // The piece map counts them only once written, too.
    expect([...(writing.pieceMap?.have ?? [])]).to.deep.equal([0xff, 0x00]);
    expect([...(snapshotOf(whole, new Set()).pieceMap?.have ?? [])]).to.deep.equal([0xff, 0xc0]);
    expect(snapshotOf(whole, new Set())).to.include({ state: 'seeding', progress: 1 });
  });

  it('waits for metadata with no size, named by the magnet or the info-hash', () => {
    const s = snapshotOf(record({ wt: live({ ready: false, name: undefined }) }));
    expect(s).to.include({
      state: 'metadata',
      lengthBytes: null,
      progress: 0,
      name: 'a'.repeat(40),
    });
  });

  it('keeps showing size, progress and files while paused', () => {
    const running = record();
    const summary = summaryOf(running);
    const s = snapshotOf(record({ wt: null, life: { phase: 'paused', reason: 'user' }, summary }));
    expect(s).to.include({
      state: 'paused',
      lengthBytes: 10 * MiB,
      downloadedBytes: 4 * MiB,
      progress: 0.4,
      peers: 0,
    });
    expect(s.files.map((f) => f.path)).to.deep.equal(['Film/a.mp4']);
  });

  it('shows an error over everything else', () => {
    expect(
      snapshotOf(record({ wt: null, life: { phase: 'failed', message: 'Storage full' } })).state,
    ).to.equal('error');
  });
});

describe('summaryOfPieces', () => {
  it('counts only the pieces given: a shared torrent part-copied keeps what a reload finds', () => {
    // Seeding from the picked files (all there), 3 of its 10 MiB pieces copied so far; two
    // files, the second starting inside piece 6.
    const seeding = record({
      wt: live({
        done: true,
        downloaded: 10 * MiB,
        bitfield: verifiedOf(10, () => true),
        files: [
          {
            path: 'F/a',
            name: 'a',
            offset: 0,
            length: 6.5 * MiB,
            downloaded: 6.5 * MiB,
            done: true,
          },
          {
            path: 'F/b',
            name: 'b',
            offset: 6.5 * MiB,
            length: 3.5 * MiB,
            downloaded: 3.5 * MiB,
            done: true,
          },
        ],
      }),
    });
    const copied = new Set([0, 6, 9]);
    const summary = summaryOfPieces(seeding, (i) => copied.has(i));
    expect(summary?.lengthBytes).to.equal(10 * MiB);
    expect(summary?.downloadedBytes).to.equal(3 * MiB);
    expect(summary?.files.map((f) => f.downloadedBytes)).to.deep.equal([1.5 * MiB, 1.5 * MiB]);
    expect(summary?.files.map((f) => f.progress)).to.deep.equal([1.5 / 6.5, 1.5 / 3.5]);
    // All of it there: the same as the live torrent's own summary.
    expect(summaryOfPieces(seeding, () => true)).to.deep.equal(summaryOf(seeding));
  });
});

const hex = (ascii: string): string =>
  Array.from(new TextEncoder().encode(ascii), (b) => b.toString(16).padStart(2, '0')).join('');

const peer = (over: Partial<LivePeer> & { pieces?: number }): LivePeer => ({
  id: over.id ?? 'p',
  isWebSeed: over.isWebSeed ?? false,
  closed: over.closed ?? false,
  remoteId: over.remoteId ?? null,
  hasCount: () => over.pieces ?? 0,
  downRateBytesPerS: over.downRateBytesPerS ?? (() => 0),
  upRateBytesPerS: over.upRateBytesPerS ?? (() => 0),
});

describe('what the transfer is doing: its connections and where its bytes came from', () => {
  it('names the client of an Azureus-style peer id, and nothing it cannot read', () => {
    expect(clientOf(hex('-WW0300-') + 'ab'.repeat(12))).to.equal('WebTorrent');
    expect(clientOf(hex('-qB4650-') + 'ab'.repeat(12))).to.equal('qBittorrent');
    expect(clientOf(hex('-ZZ1000-') + 'ab'.repeat(12))).to.equal('ZZ');
    expect(clientOf('ab'.repeat(20))).to.equal('');
    expect(clientOf(null)).to.equal('');
  });

  it('lists each open connection, busiest first, with its kind and how much it has', () => {
    const shoalTab = hex('-WW0300-') + '11'.repeat(12);
    const stranger = hex('-WW0300-') + '22'.repeat(12);
    const peers = [
      peer({ id: 'a', remoteId: stranger, pieces: 5, downRateBytesPerS: () => 1000 }),
      peer({ id: 'b', remoteId: shoalTab, pieces: 10, downRateBytesPerS: () => 5000 }),
      peer({ id: 'c', isWebSeed: true, pieces: 10, upRateBytesPerS: () => 0 }),
      peer({ id: 'd', remoteId: stranger, closed: true }),
    ];
    const s = snapshotOf(
      record({ wt: live({ peers: () => peers }) }),
      new Set(),
      new Set([shoalTab]),
    );
    expect(s.peerList).to.deep.equal([
      {
        id: 'b',
        kind: 'neighbour',
        client: 'WebTorrent',
        downRateBytesPerS: 5000,
        upRateBytesPerS: 0,
        has: 1,
      },
      {
        id: 'a',
        kind: 'peer',
        client: 'WebTorrent',
        downRateBytesPerS: 1000,
        upRateBytesPerS: 0,
        has: 0.5,
      },
      { id: 'c', kind: 'web seed', client: '', downRateBytesPerS: 0, upRateBytesPerS: 0, has: 1 },
    ]);
  });

  it('splits what it has into bytes from peers, from the web seed, and kept from before', () => {
    const s = snapshotOf(record({ receivedBytes: MiB, webSeedBytes: 2 * MiB }));
    // 4 MiB downloaded: 1 from peers, 2 from the web seed, 1 already here.
    expect(s.sources).to.deep.equal({ peersBytes: MiB, webSeedBytes: 2 * MiB, keptBytes: MiB });
  });
});
