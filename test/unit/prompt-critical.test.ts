import { expect } from '@open-wc/testing';
import { promptCritical } from '../../src/engine/swarm/patches/prompt-critical.ts';
import { withReadyTorrent } from './support/ready-torrent.ts';

const microtasks = async (n: number): Promise<void> => {
  for (let i = 0; i < n; i++) await Promise.resolve();
};

/**
 * Request rounds webtorrent runs within a few microtasks of three critical() calls in one
 * task, on a real (ready, peerless) torrent: `prompted` installs promptCritical first.
 */
async function roundsAfterCritical(prompted: boolean, paused = false): Promise<number> {
  return withReadyTorrent(64, async (wt) => {
    // Whatever webtorrent scheduled while getting ready runs first.
    await new Promise((resolve) => setTimeout(resolve, 300));
    let rounds = 0;
    const round = wt._updateWireWrapper.bind(wt);
    wt._updateWireWrapper = () => {
      rounds++;
      round();
    };
    if (prompted) promptCritical(wt);
    if (paused) wt.pause();
    wt.critical(10, 11);
    wt.critical(12, 12);
    wt.critical(30, 31);
    await microtasks(5);
    return rounds;
  });
}

describe('a piece a stream waits for', () => {
  it('is asked for in the task that marked it critical, one round for several marks (webtorrent waits for an idle page)', async () => {
    expect(await roundsAfterCritical(false)).to.equal(0);
    expect(await roundsAfterCritical(true)).to.equal(1);
  });

  it('is not asked for while the torrent is paused', async () => {
    expect(await roundsAfterCritical(true, true)).to.equal(0);
  });
});
