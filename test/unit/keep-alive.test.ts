import { expect } from '@open-wc/testing';
import {
  KEEP_ALIVE_MS,
  WorkerKeepAlive,
  type IntervalTimers,
} from '../../src/stream/keep-alive.ts';

/** Timers run by hand: `tick()` fires every interval set and not cleared. */
function manualTimers() {
  const running = new Map<number, () => void>();
  let nextId = 1;
  const timers: IntervalTimers = {
    setInterval: (callback, ms) => {
      expect(ms).to.equal(KEEP_ALIVE_MS);
      running.set(nextId, callback);
      return nextId++;
    },
    clearInterval: (id) => {
      running.delete(id as number);
    },
  };
  const tick = () => {
    for (const callback of running.values()) callback();
  };
  return { timers, tick, count: () => running.size };
}

describe('keeping the service worker alive while streams are open (WorkerKeepAlive)', () => {
  it('pings while any stream holds it, once per tick however many, and not after the last release', () => {
    const { timers, tick, count } = manualTimers();
    let pings = 0;
    const keepAlive = new WorkerKeepAlive(() => {
      pings++;
    }, timers);
    tick();
    expect(pings).to.equal(0);
    const releaseA = keepAlive.hold();
    const releaseB = keepAlive.hold();
    expect(count()).to.equal(1);
    tick();
    expect(pings).to.equal(1);
    releaseA();
    // Releasing twice counts once: B still holds it.
    releaseA();
    tick();
    expect(pings).to.equal(2);
    releaseB();
    tick();
    expect(pings).to.equal(2);
    expect(count()).to.equal(0);
    keepAlive.hold();
    tick();
    expect(pings).to.equal(3);
  });
});
