import { expect } from '@open-wc/testing';
import { postRequestRounds } from '../../src/engine/swarm/patches/unthrottled-round.ts';
import { withReadyTorrent } from './support/ready-torrent.ts';

/**
 * Keeps the page busy with `n` tasks in a row, each posting the next: the page is never idle
 * meanwhile, as a tab receiving blocks is not, and as a hidden tab's idle callbacks are late.
 */
function busyTasks(n: number): Promise<void> {
  const channel = new MessageChannel();
  return new Promise((resolve) => {
    let left = n;
    channel.port1.onmessage = () => {
      const end = performance.now() + 1;
      while (performance.now() < end) {
        // a task's work
      }
      if (--left === 0) {
        channel.port1.close();
        resolve();
      } else channel.port2.postMessage(null);
    };
    channel.port2.postMessage(null);
  });
}

/** Request rounds run while the page stays busy after three `_update()` calls in one task. */
async function roundsWhileBusy(posted: boolean, destroy = false, done = false): Promise<number> {
  return withReadyTorrent(64, async (wt) => {
    // Whatever webtorrent scheduled while getting ready runs first.
    await new Promise((resolve) => setTimeout(resolve, 300));
    let rounds = 0;
    const round = wt._updateWireWrapper.bind(wt);
    wt._updateWireWrapper = () => {
      rounds++;
      round();
    };
    if (posted) postRequestRounds(wt);
    // As webtorrent marks a torrent that has every piece (a seeder's).
    if (done) (wt as unknown as { done: boolean }).done = true;
    wt._update();
    wt._update();
    wt._update();
    // webtorrent’s own destroy (the engine removes torrents through the client).
    if (destroy) (wt as unknown as { destroy(): void }).destroy();
    await busyTasks(20);
    return rounds;
  });
}

describe('webtorrent’s request round', () => {
  it('runs while the page is busy, once for several calls (webtorrent waits for an idle page)', async () => {
    expect(await roundsWhileBusy(false)).to.equal(0);
    expect(await roundsWhileBusy(true)).to.equal(1);
  });

  it('does not run for a torrent destroyed before it', async () => {
    expect(await roundsWhileBusy(true, true)).to.equal(0);
  });

  it('does not run for a torrent that has every piece (nothing to ask for)', async () => {
    expect(await roundsWhileBusy(true, false, true)).to.equal(0);
  });
});
