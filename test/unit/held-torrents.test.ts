import { expect } from '@open-wc/testing';
import type { EngineEvents, TorrentSnapshot } from '../../src/engine/types.ts';
import { HeldTorrents } from '../../src/stream/held-torrents.ts';
import type { HoldsMessage } from '../../src/stream/protocol.ts';

const hash = (c: string): string => c.repeat(40);

/** An engine holding `initial`, whose events the test fires. */
function engineOf(initial: string[]) {
  const held = new Set(initial);
  const listeners = new Map<string, ((h: string) => void)[]>();
  return {
    held,
    fire(event: 'change' | 'persist' | 'removed', infoHash: string) {
      for (const l of listeners.get(event) ?? []) l(infoHash);
    },
    engine: {
      has: (h: string) => held.has(h),
      snapshots: () => [...held].map((infoHash) => ({ infoHash }) as TorrentSnapshot),
      on<E extends keyof EngineEvents>(event: E, listener: EngineEvents[E]) {
        listeners.set(event, [...(listeners.get(event) ?? []), listener as (h: string) => void]);
        return () => undefined;
      },
    },
  };
}

/** A service worker container whose controller records what it is told. */
function containerOf() {
  const told: string[][] = [];
  const target = new EventTarget();
  const container = Object.assign(target, {
    controller: {
      postMessage: (message: HoldsMessage) => {
        told.push([...message.infoHashes].sort());
      },
    } as unknown as ServiceWorker,
  });
  return { told, container };
}

describe('HeldTorrents', () => {
  it('tells the worker what the tab holds at once, and again as torrents come and go', () => {
    const e = engineOf([hash('a')]);
    const c = containerOf();
    const notice = new HeldTorrents(e.engine, c.container);
    expect(c.told).to.deep.equal([[hash('a')]]);
    e.held.add(hash('b'));
    e.fire('persist', hash('b'));
    // The engine's change events are chatty: a torrent already told is not told again.
    e.fire('change', hash('b'));
    e.fire('change', hash('a'));
    expect(c.told).to.deep.equal([[hash('a')], [hash('a'), hash('b')]]);
    e.held.delete(hash('a'));
    e.fire('removed', hash('a'));
    expect(c.told.at(-1)).to.deep.equal([hash('b')]);
    notice.dispose();
  });

  it('does not claim a torrent the engine does not hold, and tells a new worker everything', () => {
    const e = engineOf([]);
    const c = containerOf();
    const notice = new HeldTorrents(e.engine, c.container);
    e.fire('change', hash('c'));
    expect(c.told).to.deep.equal([[]]);
    e.held.add(hash('d'));
    e.fire('change', hash('d'));
    c.container.dispatchEvent(new Event('controllerchange'));
    expect(c.told).to.deep.equal([[], [hash('d')], [hash('d')]]);
    notice.dispose();
  });
});
