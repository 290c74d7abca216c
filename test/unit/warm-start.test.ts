import { expect, waitUntil } from '@open-wc/testing';
import { quickIcePeerConnection } from '../../src/engine/swarm/browser/quick-ice.ts';
import {
  OfferPool,
  SocketPool,
  installWarmStart,
  warmableWebSocket,
  warmablePeerConnection,
  type WarmStartOptions,
} from '../../src/engine/swarm/browser/warm-start.ts';

const CONFIG: RTCConfiguration = { iceServers: [] };
/** What simple-peer hands the constructor: our config with its own defaults mixed in. */
const PEER_CONFIG = { iceServers: [], sdpSemantics: 'unified-plan' } as RTCConfiguration;
const OPTIONS: WarmStartOptions = {
  poolSize: 2,
  maxAgeMs: 60_000,
  refillDelayMs: 50,
  refillGapMs: 50,
  gatherTimeoutMs: 3000,
};

function gathered(pc: RTCPeerConnection): Promise<number> {
  const start = performance.now();
  return new Promise((resolve) => {
    pc.onicecandidate = (event) => {
      if (event.candidate === null) resolve(performance.now() - start);
    };
  });
}

/**
 * Connects `offerer` to `answerer` as simple-peer does (no trickle: each side's description is
 * sent once its gathering ended), sends `message` and returns what arrived, with how long the
 * offerer's gathering took.
 */
async function connect(
  offerer: RTCPeerConnection,
  answerer: RTCPeerConnection,
  message: string,
): Promise<{ gatherMs: number; text: string }> {
  const channel = offerer.createDataChannel('simple-peer');
  const done = gathered(offerer);
  await offerer.setLocalDescription(await offerer.createOffer());
  const gatherMs = await done;
  const received = new Promise<string>((resolve) => {
    answerer.ondatachannel = (event) => {
      if (event.channel.label !== channel.label) return;
      event.channel.onmessage = (m) => {
        resolve(String(m.data));
      };
    };
  });
  await answerer.setRemoteDescription(offerer.localDescription as RTCSessionDescriptionInit);
  const answered = gathered(answerer);
  await answerer.setLocalDescription(await answerer.createAnswer());
  await answered;
  await offerer.setRemoteDescription(answerer.localDescription as RTCSessionDescriptionInit);
  await new Promise<void>((resolve) => {
    if (channel.readyState === 'open') resolve();
    else
      channel.onopen = () => {
        resolve();
      };
  });
  channel.send(message);
  return { gatherMs, text: await received };
}

function install() {
  const scope: { RTCPeerConnection?: typeof RTCPeerConnection; WebSocket?: typeof WebSocket } = {
    RTCPeerConnection: quickIcePeerConnection(window.RTCPeerConnection),
    WebSocket: window.WebSocket,
  };
  const warm = installWarmStart(scope, OPTIONS);
  if (!warm || !scope.RTCPeerConnection) throw new Error('not installed');
  return { warm, Pc: scope.RTCPeerConnection };
}

describe('warm start: offers made before the announce', () => {
  it('hands out an offer made ahead that connects, reports its gathering ended at once, and tops the pool up', async () => {
    const { warm, Pc } = install();
    warm.offers.warm(CONFIG);
    await waitUntil(() => warm.offers.readyCount(CONFIG) === 2, 'no offers made', {
      timeout: 5000,
    });
    const pc = new Pc(PEER_CONFIG);
    expect(warm.offers.readyCount(CONFIG)).to.equal(1);
    expect(pc.localDescription?.type).to.equal('offer');
    const answerer = new RTCPeerConnection(CONFIG);
    const { gatherMs, text } = await connect(pc, answerer, 'hello');
    answerer.close();
    expect(text).to.equal('hello');
    // A fresh connection waits for its candidates; this one's were gathered already.
    expect(gatherMs).to.be.below(15);
    await waitUntil(() => warm.offers.readyCount(CONFIG) === 2, 'not topped up', {
      timeout: 5000,
    });
    pc.close();
  });

  it('tops the pool up one connection at a time, a gap apart', async () => {
    const { warm, Pc } = install();
    warm.offers.warm(CONFIG);
    await waitUntil(() => warm.offers.readyCount(CONFIG) === 2, 'no offers made', {
      timeout: 5000,
    });
    const taken = [new Pc(PEER_CONFIG), new Pc(PEER_CONFIG)];
    expect(warm.offers.readyCount(CONFIG)).to.equal(0);
    let most = 0;
    const counts: number[] = [];
    const poll = setInterval(() => {
      most = Math.max(most, warm.offers.makingCount(CONFIG));
      counts.push(warm.offers.readyCount(CONFIG));
    }, 2);
    try {
      await waitUntil(() => warm.offers.readyCount(CONFIG) === 2, 'not topped up', {
        timeout: 5000,
      });
    } finally {
      clearInterval(poll);
      for (const pc of taken) pc.close();
    }
    expect(most).to.equal(1);
    // The pool stood at one ready offer for a while between the two.
    expect(counts.filter((n) => n === 1).length).to.be.greaterThan(5);
  });

  it('a connection asked to answer rolls the offer made ahead back, and connects', async () => {
    const { warm, Pc } = install();
    warm.offers.warm(CONFIG);
    await waitUntil(() => warm.offers.readyCount(CONFIG) === 2, 'no offers made', {
      timeout: 5000,
    });
    const answerer = new Pc(PEER_CONFIG);
    expect(answerer.localDescription?.type).to.equal('offer');
    const offerer = new RTCPeerConnection(CONFIG);
    const { text } = await connect(offerer, answerer, 'answered');
    expect(text).to.equal('answered');
    offerer.close();
    answerer.close();
  });

  it('gives none while a tracker message is handled, for another configuration, or past its age', async () => {
    let now = 0;
    const Warm = warmablePeerConnection(quickIcePeerConnection(window.RTCPeerConnection));
    const pool = new OfferPool(Warm, { ...OPTIONS, maxAgeMs: 1000 }, () => now);
    pool.warm(CONFIG);
    await waitUntil(() => pool.readyCount(CONFIG) === 2, 'no offers made', { timeout: 5000 });
    pool.answering = 1;
    expect(pool.take(PEER_CONFIG)).to.equal(null);
    pool.answering = 0;
    expect(pool.take({ iceServers: [{ urls: 'stun:127.0.0.1:3478' }] })).to.equal(null);
    expect(pool.readyCount(CONFIG)).to.equal(2);
    now = 5000;
    expect(pool.take(PEER_CONFIG)).to.equal(null);
    expect(pool.readyCount(CONFIG)).to.equal(0);
  });
});

describe('warm start: the tracker socket opened ahead', () => {
  /** Stands in for the browser's WebSocket: opens when told. */
  class FakeSocket extends EventTarget {
    static readonly CONNECTING = 0;
    static readonly OPEN = 1;
    static readonly CLOSING = 2;
    static readonly CLOSED = 3;
    readyState = 0;
    #onopen: ((event: Event) => unknown) | null = null;
    #onmessage: ((event: MessageEvent) => unknown) | null = null;
    constructor(readonly url: string) {
      super();
    }
    // Accessors on the prototype, as the browser's are (a field would hide the subclass's).
    get onopen() {
      return this.#onopen;
    }
    set onopen(handler: ((event: Event) => unknown) | null) {
      this.#onopen = handler;
    }
    get onmessage() {
      return this.#onmessage;
    }
    set onmessage(handler: ((event: MessageEvent) => unknown) | null) {
      this.#onmessage = handler;
    }
    open(): void {
      this.readyState = 1;
      this.onopen?.(new Event('open'));
    }
  }

  it('a handler set on a socket that opened already hears "open"; messages count as being handled', async () => {
    const pool = new OfferPool(warmablePeerConnection(window.RTCPeerConnection));
    const Warm = warmableWebSocket(FakeSocket as unknown as typeof WebSocket, pool);
    const socket = new Warm('ws://127.0.0.1:1') as unknown as FakeSocket;
    socket.open();
    let opened = 0;
    socket.onopen = () => {
      opened++;
    };
    await Promise.resolve();
    expect(opened).to.equal(1);
    let during = -1;
    socket.onmessage = () => {
      during = pool.answering;
    };
    socket.onmessage(new MessageEvent('message', { data: '{}' }));
    expect(during).to.equal(1);
    expect(pool.answering).to.equal(0);
  });

  it('hands each socket out once, only for its URL, and drops one that closed', () => {
    const made: FakeSocket[] = [];
    const sockets = new SocketPool((url) => {
      const s = new FakeSocket(url);
      made.push(s);
      return s as unknown as WebSocket;
    });
    sockets.warm(['ws://a', 'ws://b', 'http://not-a-tracker']);
    expect(made.map((s) => s.url)).to.deep.equal(['ws://a', 'ws://b']);
    expect(sockets.take('ws://c')).to.equal(null);
    expect(sockets.take('ws://a')).to.equal(made[0]);
    expect(sockets.take('ws://a')).to.equal(null);
    made[1]?.dispatchEvent(new Event('close'));
    expect(sockets.take('ws://b')).to.equal(null);
  });
});
