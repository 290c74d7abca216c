import { expect } from '@open-wc/testing';
import {
  measuredDownloadRate,
  raisePipelineFloor,
  withRateFloor,
} from '../../src/engine/request-pipeline.ts';

/** A meter like bittorrent-protocol's: records bytes, reports the total as its rate. */
function meter(): { fn: (delta?: number) => number; recorded: number[] } {
  const recorded: number[] = [];
  return {
    recorded,
    fn: (delta?: number) => {
      if (delta !== undefined) recorded.push(delta);
      return recorded.reduce((a, b) => a + b, 0);
    },
  };
}

describe('request pipeline floor', () => {
  it('reports the floor while the measured rate is below it, the rate once above', () => {
    const m = meter();
    const floored = withRateFloor(m.fn, 1000);
    expect(floored()).to.equal(1000);
    floored(600);
    expect(floored()).to.equal(1000);
    floored(900);
    expect(floored()).to.equal(1500);
    expect(m.recorded).to.deep.equal([600, 900]);
  });

  it('raises peer wires and leaves web seeds to their own sizing', () => {
    const peer = { downloadSpeed: meter().fn };
    const webSeed = { downloadSpeed: meter().fn, type: 'webSeed' };
    raisePipelineFloor(peer, 2048);
    raisePipelineFloor(webSeed, 2048);
    expect(peer.downloadSpeed()).to.equal(2048);
    expect(webSeed.downloadSpeed()).to.equal(0);
  });

  it('keeps the real rate for decisions that rank peers by it', () => {
    const peer = { downloadSpeed: meter().fn };
    raisePipelineFloor(peer, 2048);
    raisePipelineFloor(peer, 4096);
    peer.downloadSpeed(100);
    expect(peer.downloadSpeed()).to.equal(2048);
    expect(measuredDownloadRate(peer)).to.equal(100);
  });
});
