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

  it('snubs a peer that sits on our requests, drops it if it never sends; an honest peer is untouched', () => {
    const swarm = new FakeSwarm(64);
    const { assist, clock } = assisted(swarm);
    const all = Array.from({ length: 64 }, (_, i) => i);
    const block = (piece: number) => ({ piece, offset: 0, length: 16 * KiB });
    const silent = swarm.connect(new FakePeer({ pieces: all }));
    const honest = swarm.connect(new FakePeer({ pieces: all }));
    const slow = swarm.connect(new FakePeer({ pieces: all }));
    const { snubAfterMs, snubForMs, dropSilentAfterMs } = DEFAULT_PEER_ASSIST;
    slow.transfer('down', 16 * KiB);
    silent.queued = [block(1)];
    slow.queued = [block(3), block(4)];
    const events: string[] = [];
    for (let nowMs = 0; nowMs <= snubAfterMs + dropSilentAfterMs + 1_000; nowMs += 500) {
      clock.nowMs = nowMs;
      // The honest peer answers a block a second and is asked for the next.
      if (nowMs % 1_000 === 0) honest.transfer('down', 16 * KiB);
      honest.queued = [block(2)];
      // The slow one sends nothing more once snubbed, and is asked again after the snub.
      if (!slow.snubbed && slow.queued.length === 0) slow.queued = [block(5)];
      const before = [silent, honest, slow].map((p) => `${String(p.snubbed)}${String(p.closed)}`);
      assist.tick();
      [silent, honest, slow].forEach((p, i) => {
        if (`${String(p.snubbed)}${String(p.closed)}` !== before[i])
          events.push(
            `${String(nowMs)} ${['silent', 'honest', 'slow'][i] ?? ''} ${p.closed ? 'dropped' : p.snubbed ? 'snubbed' : 'released'}`,
          );
      });
    }
    expect(events).to.deep.equal([
      `${String(snubAfterMs)} silent snubbed`,
      `${String(snubAfterMs)} slow snubbed`,
      `${String(snubAfterMs + snubForMs)} slow released`,
      `${String(snubAfterMs + dropSilentAfterMs)} silent dropped`,
      // Asked again on the tick after its release, silent 10 s from then.
      `${String(2 * snubAfterMs + snubForMs + 500)} slow snubbed`,
    ]);
    // Its requests were withdrawn at the snub; dropped once, not banned.
    expect(silent.droppedSilent).to.equal(1);
    expect(honest.snubbed).to.equal(false);
  });

  it('a silent neighbour beside an honest peer: snubbed and asked again in turn, never dropped', () => {
    const swarm = new FakeSwarm(64);
    const { assist, clock } = assisted(swarm);
    const all = Array.from({ length: 64 }, (_, i) => i);
    const block = (piece: number) => ({ piece, offset: 0, length: 16 * KiB });
    const neighbour = swarm.connect(new FakePeer({ pieces: all, neighbour: true }));
    const honest = swarm.connect(new FakePeer({ pieces: all }));
    let snubs = 0;
    for (clock.nowMs = 0; clock.nowMs <= 120_000; clock.nowMs += 500) {
      if (clock.nowMs % 1_000 === 0) honest.transfer('down', 16 * KiB);
      honest.queued = [block(2)];
      // Asked again whenever it is not snubbed; it never answers.
      if (!neighbour.snubbed && neighbour.queued.length === 0) neighbour.queued = [block(1)];
      const was = neighbour.snubbed;
      assist.tick();
      if (!was && neighbour.snubbed) snubs++;
    }
    expect(snubs).to.be.at.least(4);
    expect([neighbour.closed, neighbour.droppedSilent]).to.deep.equal([false, 0]);
  });

  it('the only peer with the pieces, silent (a loaded tab two hops away): its requests stay on it', () => {
    const swarm = new FakeSwarm(64);
    const { assist, clock } = assisted(swarm);
    const only = swarm.connect(new FakePeer({ pieces: [1, 2, 3] }));
    // Another peer, without any piece the only source is asked for: it cannot take them.
    swarm.connect(new FakePeer({ pieces: [40] }));
    only.queued = [1, 2, 3].map((piece) => ({ piece, offset: 0, length: 16 * KiB }));
    for (clock.nowMs = 0; clock.nowMs <= 60_000; clock.nowMs += 500) assist.tick();
    expect([only.snubbed, only.closed, only.queued.length]).to.deep.equal([false, false, 3]);
    // A peer that has them connects: the blocks go to it at once.
    swarm.connect(new FakePeer({ pieces: [2] }));
    clock.nowMs += 500;
    assist.tick();
    expect([only.snubbed, only.queued.length]).to.deep.equal([true, 0]);
  });

  it('snubs no one once the torrent is done, and never a web seed', () => {
    const swarm = new FakeSwarm(64);
    const { assist, clock } = assisted(swarm);
    const seed = swarm.connect(new FakePeer({ isWebSeed: true, pieces: [1] }));
    seed.queued = [{ piece: 1, offset: 0, length: 16 * KiB }];
    const peer = swarm.connect(new FakePeer({ pieces: [1] }));
    swarm.done = true;
    peer.queued = [{ piece: 1, offset: 0, length: 16 * KiB }];
    for (clock.nowMs = 0; clock.nowMs <= 60_000; clock.nowMs += 500) assist.tick();
    expect([seed.snubbed, peer.snubbed, peer.closed]).to.deep.equal([false, false, false]);
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
