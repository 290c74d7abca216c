import { expect } from '@open-wc/testing';
import { PeerAssist } from '../../src/engine/assist/peer-assist.ts';
import { DEFAULT_PEER_ASSIST } from '../../src/config/peer-assist.ts';
import { Playback } from '../../src/engine/streaming/playback.ts';
import { Priorities } from '../../src/engine/streaming/priorities.ts';
import { FakePeer, FakeSwarm, albumSwarm, report } from './support/fake-swarm.ts';

const KiB = 1024;

/** Peer assist over a fake swarm, on a clock the test moves. */
function assisted(swarm: FakeSwarm, streaming = false) {
  const clock = { nowMs: 0 };
  const asked = { neighbours: 0 };
  const playback = new Playback(() => clock.nowMs);
  const assist = new PeerAssist(
    swarm,
    new Priorities(swarm),
    playback,
    DEFAULT_PEER_ASSIST,
    () => clock.nowMs,
    () => streaming,
    () => asked.neighbours++,
  );
  return { assist, clock, playback, asked };
}

describe('PeerAssist over the swarm port', () => {
  it('adds the torrent’s http(s) web seeds gated once it is ready, and lets them serve nothing idle', () => {
    const swarm = new FakeSwarm(64);
    swarm.webSeedUrls = [
      'https://cdn.example/a.bin',
      'ftp://old.example/a.bin',
      'http://b.example/a.bin',
    ];
    const { assist } = assisted(swarm);
    assist.onReady();
    expect(swarm.gates.map((g) => g.url)).to.deep.equal([
      'https://cdn.example/a.bin',
      'http://b.example/a.bin',
    ]);
    // Downloading with no playback, peers have the first seconds to show up.
    assist.tick();
    for (const gate of swarm.gates) expect(gate.allowed).to.deep.equal([]);
  });

  it('unchokes the four interested peers that send fastest and one other, never a seeder', () => {
    const swarm = new FakeSwarm(64);
    const { assist } = assisted(swarm);
    const leechers = [10, 50, 20, 70, 30, 60, 40].map((rate) =>
      swarm.connect(new FakePeer({ interested: true, downRate: rate * KiB, pieces: [1] })),
    );
    const seeder = swarm.connect(
      new FakePeer({
        interested: true,
        downRate: 999 * KiB,
        pieces: Array.from({ length: 64 }, (_, i) => i),
      }),
    );
    assist.tick();
    const unchoked = leechers.filter((p) => !p.choked);
    expect(unchoked).to.have.length(5);
    const fastest = [...leechers].sort((a, b) => b.downRate - a.downRate).slice(0, 4);
    for (const peer of fastest) expect(peer.choked, `${String(peer.downRate)} B/s`).to.equal(false);
    expect(seeder.choked).to.equal(true);
    expect(assist.status.unchoked).to.equal(5);
  });

  it('asks the tracker and the neighbours for more peers while it has few, at most every 30 s', () => {
    const swarm = new FakeSwarm(64);
    const { assist, clock, asked } = assisted(swarm);
    swarm.connect(new FakePeer({ pieces: [0] }));
    // The first announce is the swarm's own.
    assist.tick();
    expect(swarm.reannounces).to.equal(0);
    clock.nowMs = DEFAULT_PEER_ASSIST.reannounceMinMs + 1;
    assist.tick();
    expect(swarm.reannounces).to.equal(1);
    clock.nowMs += DEFAULT_PEER_ASSIST.reannounceMinMs / 2;
    assist.tick();
    expect(swarm.reannounces).to.equal(1);
    clock.nowMs += DEFAULT_PEER_ASSIST.reannounceMinMs;
    assist.tick();
    expect(swarm.reannounces).to.equal(2);
    expect(asked.neighbours).to.equal(2);
  });

  it('fetches the next item’s first pieces from peers when the current one nears its end', () => {
    const swarm = albumSwarm();
    const { assist, clock, playback } = assisted(swarm);
    playback.update(report({ path: 'album/1.mp3', positionS: 10, durationS: 120 }));
    assist.tick();
    const prefetched = () => swarm.plans.at(-1)?.windows.some((r) => r.from === 64) ?? false;
    expect(prefetched()).to.equal(false);
    clock.nowMs = 1000;
    playback.update(report({ path: 'album/1.mp3', positionS: 95, durationS: 120 }));
    assist.tick();
    expect(prefetched()).to.equal(true);
    // A seek back to the start: the next item is far off again, its prefetch withdrawn.
    clock.nowMs = 2000;
    playback.update(
      report({ path: 'album/1.mp3', positionS: 5, durationS: 120, event: 'seeking' }),
    );
    assist.tick();
    expect(prefetched()).to.equal(false);
  });

  it('starts a plain download on a random piece a peer has, once; a stream on its playhead', () => {
    const swarm = new FakeSwarm(64);
    const { assist } = assisted(swarm);
    swarm.connect(new FakePeer({ pieces: [7, 9, 40] }));
    assist.tick();
    const critical = swarm.plans.flatMap((p) => p.critical);
    expect(critical).to.have.length(1);
    expect(critical[0]?.from).to.equal(critical[0]?.to);
    expect([7, 9, 40]).to.include(critical[0]?.from);
    // Once: the next ticks leave the order to the swarm.
    assist.tick();
    expect(swarm.plans.flatMap((p) => p.critical)).to.have.length(1);

    const streamed = new FakeSwarm(64);
    const viewer = assisted(streamed, true);
    streamed.connect(new FakePeer({ pieces: [7, 9, 40] }));
    viewer.assist.tick();
    expect(streamed.plans.flatMap((p) => p.critical)).to.deep.equal([]);
  });

  it('moves the playhead’s blocks off a peer that stopped answering to one that delivers, once late', () => {
    const swarm = new FakeSwarm(64);
    const { assist, clock, playback } = assisted(swarm);
    const all = Array.from({ length: 64 }, (_, i) => i);
    const stuck = swarm.connect(new FakePeer({ pieces: all, downRate: 1024 * KiB }));
    const steady = swarm.connect(new FakePeer({ pieces: all, downRate: 1024 * KiB }));
    stuck.queued = [1, 2, 3, 50].map((piece) => ({ piece, offset: 0, length: 16 * KiB }));
    // A 1 MiB file of 60 s: pieces 1–3 are due within 3 s of the playhead at 0.
    playback.update(report({ positionS: 0, durationS: 60, playing: true }));
    assist.tick();
    expect(swarm.requestRounds.flatMap((r) => r.moves)).to.deep.equal([]);
    // Half a second on, a block is owed but not late yet.
    clock.nowMs = 500;
    steady.transfer('down', 16 * KiB);
    assist.tick();
    expect(swarm.requestRounds.flatMap((r) => r.moves)).to.deep.equal([]);
    // 2.5 s, the player still waiting at 0: the stuck peer has owed its first block since the
    // first tick; the steady one delivered just now. Piece 50, due in 45 s, stays.
    clock.nowMs = 2500;
    steady.transfer('down', 16 * KiB);
    assist.tick();
    const moves = swarm.requestRounds.flatMap((r) => r.moves);
    expect(moves.map((m) => [m.request.piece, m.from, m.to])).to.deep.equal([
      [1, stuck.id, steady.id],
      [2, stuck.id, steady.id],
      [3, stuck.id, steady.id],
    ]);
    expect(assist.status.requestMoves).to.equal(3);
  });
});
