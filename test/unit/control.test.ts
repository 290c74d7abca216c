import { expect } from '@open-wc/testing';
import { DEFAULT_PEER_ASSIST } from '../../src/config/peer-assist.ts';
import { TorrentControl } from '../../src/engine/streaming/control.ts';
import { Playback } from '../../src/engine/streaming/playback.ts';
import type { PlaybackReport } from '../../src/engine/types.ts';
import { ALBUM_TRACK_BYTES, albumSwarm, report as playerReport } from './support/fake-swarm.ts';

/** The player on the album's first track (120 s) unless told. */
const report = (fields: Partial<PlaybackReport>): PlaybackReport =>
  playerReport({ path: 'album/1.mp3', durationS: 120, ...fields });

describe('one playback model per torrent', () => {
  it('a play starts anew on a new file, a seek, a new source or a play after a pause, not as it plays on', () => {
    let nowMs = 0;
    const playback = new Playback(() => nowMs);
    const first = playback.update(report({ event: 'play' }));
    expect(first.startedAtMs).to.equal(0);
    const cases: [string, Partial<PlaybackReport>, boolean][] = [
      ['plays on', { positionS: 1 }, false],
      ['pauses', { positionS: 2, playing: false, event: 'pause' }, false],
      ['plays after the pause', { positionS: 2, event: 'play' }, true],
      ['seeks', { positionS: 50, event: 'seeking' }, true],
      ['loads a new source', { positionS: 0, event: 'loadstart' }, true],
      ['moves to the next file', { path: 'album/2.mp3', positionS: 0 }, true],
      ['plays on in it', { path: 'album/2.mp3', positionS: 3 }, false],
    ];
    for (const [what, fields, restarts] of cases) {
      const before = playback.current;
      nowMs += 1000;
      const state = playback.update(report(fields));
      expect(state.startedAtMs === nowMs, what).to.equal(restarts);
      expect(state.play === (before?.play ?? 0) + 1, what).to.equal(restarts);
      expect(state.atMs, what).to.equal(nowMs);
    }
  });

  it('a tick writes the torrent one plan, with the stream’s window and the next item’s prefetch', () => {
    const swarm = albumSwarm();
    const itemBytes = ALBUM_TRACK_BYTES;
    const control = new TorrentControl(swarm, DEFAULT_PEER_ASSIST, () => 0);
    // A read of the first item near its end, and the player there.
    control.steering.open({ offsetBytes: 0, lengthBytes: itemBytes }, Math.floor(itemBytes * 0.8));
    control.report(report({ positionS: 96 }));
    const before = swarm.plans.length;
    control.tick();
    expect(swarm.plans.length - before).to.equal(1);
    const plan = swarm.plans.at(-1);
    // The next item's first pieces are fetched first, beside the stream's window near the end.
    expect(plan?.windows.some((r) => r.from === 64)).to.equal(true);
    expect(plan?.windows.some((r) => r.from >= 50 && r.from < 64)).to.equal(true);
    expect(plan?.strategy).to.equal('sequential');
  });
});
