import { expect } from '@open-wc/testing';
import {
  boundedIntervalMs,
  boundTrackerReconnect,
  reconnectDelayMs,
  TRACKER_RECONNECT,
} from '../../src/engine/swarm/patches/tracker-reconnect.ts';

describe('tracker reconnect (swarm/patches/tracker-reconnect)', () => {
  it('tries again after 1 s, doubling, never more than 30 s apart, with up to 1 s of jitter', () => {
    const table: [number, number, number][] = [
      [0, 0, 1000],
      [1, 0, 2000],
      [4, 0, 16_000],
      [5, 0, 30_000],
      [40, 0, 30_000],
      [0, 0.999, 1999],
      [40, 0.999, 30_999],
    ];
    for (const [retries, random, ms] of table)
      expect(reconnectDelayMs(retries, TRACKER_RECONNECT, random), String(retries)).to.equal(ms);
  });

  /** The WebSocket tracker client's shape (bittorrent-tracker's lib/client/websocket-tracker). */
  class FakeWsTracker {
    retries = 3;
    reconnecting = false;
    destroyed = false;
    reconnectTimer: ReturnType<typeof setTimeout> | null = null;
    opened = 0;
    socket: {
      connected: boolean;
      listeners: (() => void)[];
      once(e: string, cb: () => void): void;
    } | null = null;
    connects = 0;
    _onSocketConnectBound = (): void => {
      this.connects++;
    };
    _openSocket(): void {
      this.opened++;
      this.socket = {
        connected: false,
        listeners: [],
        once(_e: string, cb: () => void) {
          this.listeners.push(cb);
        },
      };
    }
    announceEveryMs: number | null | undefined = null;
    setInterval(intervalMs?: number | null): void {
      this.announceEveryMs = intervalMs;
    }
    _startReconnectTimer(): void {
      // The stock delay: far longer than the bound.
      this.reconnecting = true;
      this.reconnectTimer = setTimeout(() => {
        this._openSocket();
      }, 3_600_000);
    }
  }

  it('retimes a reconnect already waiting with the stock delay, and reconnects within the bound', async () => {
    const tracker = new FakeWsTracker();
    tracker._startReconnectTimer();
    boundTrackerReconnect(
      { discovery: { tracker: { _trackers: [tracker] } } },
      { firstMs: 10, maxMs: 40, jitterMs: 0 },
      () => 0,
    );
    // retries 3: 10 · 2³ = 80, bounded at 40 ms.
    await new Promise((resolve) => setTimeout(resolve, 120));
    expect(tracker.opened).to.equal(1);
    expect(tracker.retries).to.equal(4);
    // Joining a socket still connecting now waits for its connect.
    tracker.socket?.listeners.forEach((cb) => {
      cb();
    });
    expect(tracker.connects).to.equal(1);
    // An announce interval of a millisecond is held to 10 s.
    tracker.setInterval(1);
    expect(tracker.announceEveryMs).to.equal(10_000);
  });

  it('names the member it needs when the tracker client lacks it', () => {
    class Odd {
      _openSocket(): void {
        // has no _startReconnectTimer
      }
    }
    expect(() => {
      boundTrackerReconnect({ discovery: { tracker: { _trackers: [new Odd()] } } });
    }).to.throw(/_startReconnectTimer/);
  });
});

describe('announce interval a tracker may set', () => {
  it('is held between 10 s and an hour; nonsense leaves the default', () => {
    const table: [unknown, number | undefined][] = [
      [0.001, 10_000],
      [120_000, 120_000],
      [24 * 3600_000, 3600_000],
      [0, undefined],
      [-5, undefined],
      [Number.NaN, undefined],
      ['120', undefined],
      [null, undefined],
    ];
    for (const [asked, kept] of table)
      expect(boundedIntervalMs(asked), String(asked)).to.equal(kept);
  });
});
