import { expect } from '@open-wc/testing';
import { Playback } from '../../src/engine/streaming/playback.ts';
import type { PlaybackReport } from '../../src/engine/types.ts';

const at = (positionS: number, event: string, path = 'film.mp4'): PlaybackReport => ({
  infoHash: 'a'.repeat(40),
  path,
  positionS,
  durationS: 120,
  bufferedAheadS: 0,
  playing: true,
  event,
});

describe('Playback', () => {
  it('keeps one seek across the reports at its position, and ends it when the playhead moves', () => {
    let now = 0;
    const playback = new Playback(() => now);
    playback.update(at(3, 'timeupdate'));
    expect(playback.current?.seek).to.equal(null);
    now = 100;
    const seek = playback.update(at(60, 'seeking')).seek;
    expect(seek).to.deep.equal({ atMs: 100, positionS: 60 });
    // The element's `waiting` at the sought position is the same seek, not a new one.
    now = 150;
    expect(playback.update(at(60, 'waiting')).seek).to.equal(seek);
    now = 900;
    expect(playback.update(at(60.25, 'timeupdate')).seek).to.equal(null);
    // A seek to the same place again is a new seek.
    now = 1000;
    const again = playback.update(at(60.25, 'seeking')).seek;
    expect(again).to.not.equal(seek);
    expect(again?.atMs).to.equal(1000);
  });

  it('a new file or a new source ends the seek; each starts a new play', () => {
    let now = 0;
    const playback = new Playback(() => now);
    playback.update(at(0, 'timeupdate'));
    now = 10;
    playback.update(at(30, 'seeking'));
    expect(playback.current?.play).to.equal(2);
    now = 20;
    expect(playback.update(at(30, 'loadstart')).seek).to.equal(null);
    now = 30;
    playback.update(at(30, 'seeking'));
    const other = playback.update(at(30, 'timeupdate', 'next.mp4'));
    expect(other.seek).to.equal(null);
    expect(other.play).to.equal(5);
    expect(other.startedAtMs).to.equal(30);
  });
});
