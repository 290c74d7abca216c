import { expect } from '@open-wc/testing';
import {
  measuredDownloadRate,
  boundPipeline,
  withRateBounds,
} from '../../src/engine/swarm/patches/request-pipeline.ts';

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

describe('request pipeline bounds', () => {
  it('reports the floor while the measured rate is below it, the rate once above', () => {
    const m = meter();
    const floored = withRateBounds(m.fn, 1000);
    expect(floored()).to.equal(1000);
    floored(600);
    expect(floored()).to.equal(1000);
    floored(900);
    expect(floored()).to.equal(1500);
    expect(m.recorded).to.deep.equal([600, 900]);
  });

  it('reports the ceiling once the measured rate is above it', () => {
    const m = meter();
    const bounded = withRateBounds(m.fn, 1000, 4000);
    bounded(3000);
    expect(bounded()).to.equal(3000);
    bounded(5000);
    expect(bounded()).to.equal(4000);
  });

  it('bounds a fast peer to 50 outstanding blocks by default (webtorrent: 2 + 1 s of rate)', () => {
    const peer = { downloadSpeed: meter().fn };
    boundPipeline(peer);
    peer.downloadSpeed(6_000_000);
    expect(2 + Math.ceil(peer.downloadSpeed() / 16384)).to.equal(50);
  });

  it('raises peer wires and leaves web seeds to their own sizing', () => {
    const peer = { downloadSpeed: meter().fn };
    const webSeed = { downloadSpeed: meter().fn, type: 'webSeed' };
    boundPipeline(peer, 2048);
    boundPipeline(webSeed, 2048);
    expect(peer.downloadSpeed()).to.equal(2048);
    expect(webSeed.downloadSpeed()).to.equal(0);
  });

  it('keeps the real rate for decisions that rank peers by it', () => {
    const peer = { downloadSpeed: meter().fn };
    boundPipeline(peer, 2048);
    boundPipeline(peer, 4096);
    peer.downloadSpeed(100);
    expect(peer.downloadSpeed()).to.equal(2048);
    expect(measuredDownloadRate(peer)).to.equal(100);
  });
});
