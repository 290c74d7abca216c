/**
 * The tracker socket and the WebRTC offers of a torrent's first announce, made before the
 * torrent is added.
 *
 * The tracker client opens its WebSocket when a torrent is added and then builds five
 * `RTCPeerConnection`s, creates their offers and waits for their ICE gathering, all before it
 * can send the announce that finds peers: in `npm run bench -- --only stream` traces that was
 * 60–110 ms of a viewer's start (socket open at +36–67 ms, announce sent at +88–137 ms), on a
 * main thread busy with the page's own reaction to the add. Here the engine asks, when it
 * starts, for a socket to each tracker and for offers gathered in advance; webtorrent's bundle
 * then gets them from the window's constructors (installed before the bundle is evaluated, as
 * quick-ice.ts is):
 *
 * - `new WebSocket(url)` for a warmed tracker returns the socket already open (or opening);
 *   an open one reports `open` to the handler set on it, as a new one would.
 * - `new RTCPeerConnection(config)` for a warmed configuration returns a connection whose
 *   data channel, offer and gathering are done: its `createDataChannel`, `createOffer` and
 *   `setLocalDescription` hand those over and report the end of gathering at once. A
 *   connection made while a tracker message is handled is answering an offer: it is made
 *   fresh (and one handed out that is asked to answer rolls its offer back first).
 *
 * The pool is topped up a moment after it was drawn from, one connection at a time
 * (`refillGapMs` apart): five made at once kept a seeder's main thread busy for 30–80 ms,
 * and in bench traces that landed in a viewer's start or seek, whose piece requests waited
 * behind it. Even one at a time each took 20–65 ms (`bench --trace`, long animation frames),
 * and a second after the draw is just when a play starts and its first seeks come: the
 * top-up waits `refillDelayMs` (5 s) instead, past that; the offers are wanted again only
 * by the next torrent added. Offers older than `maxAgeMs` are closed instead of handed out.
 */

export interface WarmStartOptions {
  /** Offers kept ready per configuration (the tracker client sends five per announce). */
  readonly poolSize: number;
  /** How long a ready offer may wait before it is made again. */
  readonly maxAgeMs: number;
  /** How long after offers were taken the pool is topped up (off the start's path). */
  readonly refillDelayMs: number;
  /** Between one connection made for the top-up and the next. */
  readonly refillGapMs: number;
  /** Longest wait for an offer's gathering to end. */
  readonly gatherTimeoutMs: number;
}

export const DEFAULT_WARM_START: WarmStartOptions = {
  poolSize: 5,
  maxAgeMs: 5 * 60_000,
  refillDelayMs: 5000,
  refillGapMs: 200,
  gatherTimeoutMs: 3000,
};

/** What of a configuration decides whether a ready offer fits it. */
export const configKey = (config: RTCConfiguration | undefined): string =>
  JSON.stringify([
    config?.iceServers ?? [],
    config?.iceTransportPolicy ?? 'all',
    config?.bundlePolicy ?? 'balanced',
  ]);

interface WarmState {
  readonly channel: RTCDataChannel;
  channelHanded: boolean;
  offerHanded: boolean;
  localSet: boolean;
}

interface NativeMethods {
  readonly createDataChannel: (
    this: RTCPeerConnection,
    label: string,
    init?: RTCDataChannelInit,
  ) => RTCDataChannel;
  readonly createOffer: (
    this: RTCPeerConnection,
    options?: RTCOfferOptions,
  ) => Promise<RTCSessionDescriptionInit>;
  readonly setLocalDescription: (
    this: RTCPeerConnection,
    description?: RTCLocalSessionDescriptionInit,
  ) => Promise<void>;
  readonly setRemoteDescription: (
    this: RTCPeerConnection,
    description: RTCSessionDescriptionInit,
  ) => Promise<void>;
}

type IceHandler = ((this: RTCPeerConnection, event: RTCPeerConnectionIceEvent) => unknown) | null;

export interface WarmPeerConnection extends RTCPeerConnection {
  /** Creates its data channel and offer and waits for its gathering to end. */
  prepareOffer(timeoutMs: number): Promise<void>;
}

/** A subclass of `Base` that can make its offer ahead and hand it over when asked. */
export function warmablePeerConnection(
  Base: typeof RTCPeerConnection,
): new (config?: RTCConfiguration) => WarmPeerConnection {
  const states = new WeakMap<RTCPeerConnection, WarmState>();
  // The browser's own methods, typed in their promise forms (the legacy callback overloads
  // are what the lint's deprecation notes are about).
  const native = Base.prototype as unknown as NativeMethods;
  const { createDataChannel, createOffer, setLocalDescription, setRemoteDescription } = native;

  class Warmable extends Base {
    async prepareOffer(timeoutMs: number): Promise<void> {
      const channel = createDataChannel.call(this, 'shoal');
      states.set(this, { channel, channelHanded: false, offerHanded: false, localSet: false });
      let timer: ReturnType<typeof setTimeout> | undefined;
      const ended = new Promise<void>((resolve) => {
        timer = setTimeout(resolve, timeoutMs);
        this.onicecandidate = (event) => {
          if (event.candidate === null) resolve();
        };
      });
      await setLocalDescription.call(this, await createOffer.call(this));
      await ended;
      clearTimeout(timer);
      this.onicecandidate = null;
    }
  }
  const proto = Warmable.prototype as unknown as Record<string, unknown>;
  // Defined on the prototype: the browser's overloads (with the legacy callback forms) do not
  // take a plain override.
  proto.createDataChannel = function (
    this: RTCPeerConnection,
    label: string,
    init?: RTCDataChannelInit,
  ): RTCDataChannel {
    const warm = states.get(this);
    if (warm && !warm.channelHanded) {
      warm.channelHanded = true;
      return warm.channel;
    }
    return createDataChannel.call(this, label, init);
  };
  proto.createOffer = function (
    this: RTCPeerConnection,
    options?: RTCOfferOptions,
  ): Promise<RTCSessionDescriptionInit> {
    const warm = states.get(this);
    const made = this.localDescription;
    if (warm && !warm.offerHanded && made?.type === 'offer') {
      warm.offerHanded = true;
      return Promise.resolve({ type: 'offer', sdp: made.sdp });
    }
    return createOffer.call(this, options);
  };
  proto.setLocalDescription = function (
    this: RTCPeerConnection,
    description?: RTCLocalSessionDescriptionInit,
  ): Promise<void> {
    const warm = states.get(this);
    if (warm && warm.offerHanded && !warm.localSet && description?.type === 'offer') {
      warm.localSet = true;
      // Set, and gathered, already: the handler set since hears that gathering has ended.
      queueMicrotask(() => {
        const handler = this.onicecandidate as IceHandler;
        handler?.call(this, new RTCPeerConnectionIceEvent('icecandidate', { candidate: null }));
      });
      return Promise.resolve();
    }
    return setLocalDescription.call(this, description);
  };
  proto.setRemoteDescription = async function (
    this: RTCPeerConnection,
    description: RTCSessionDescriptionInit,
  ): Promise<void> {
    const warm = states.get(this);
    if (warm && !warm.offerHanded && description.type === 'offer') {
      // Asked to answer: take the offer made ahead back first.
      states.delete(this);
      warm.channel.close();
      await setLocalDescription.call(this, { type: 'rollback' });
    }
    return setRemoteDescription.call(this, description);
  };
  return Warmable;
}

interface Ready {
  readonly pc: WarmPeerConnection;
  readonly madeAtMs: number;
}

/** Ready offers per configuration, and the constructor that hands them out. */
export class OfferPool {
  private readonly ready = new Map<string, Ready[]>();
  private readonly configs = new Map<string, RTCConfiguration>();
  private readonly making = new Map<string, number>();
  private readonly refills = new Map<string, ReturnType<typeof setTimeout>>();
  /** Tracker messages being handled (a connection made then answers an offer). */
  answering = 0;

  constructor(
    private readonly Warm: new (config?: RTCConfiguration) => WarmPeerConnection,
    private readonly options: WarmStartOptions = DEFAULT_WARM_START,
    private readonly nowMs: () => number = () => performance.now(),
  ) {}

  /** Keeps offers for `config` ready from now on. */
  warm(config: RTCConfiguration): void {
    const key = configKey(config);
    this.configs.set(key, config);
    this.fill(key);
  }

  /** How many offers for `config` are ready now. */
  readyCount(config: RTCConfiguration | undefined): number {
    return this.ready.get(configKey(config))?.length ?? 0;
  }

  /** A ready offer for `config`, or null (then a connection is made as usual). */
  take(config: RTCConfiguration | undefined): WarmPeerConnection | null {
    if (this.answering > 0) return null;
    const key = configKey(config);
    const list = this.ready.get(key);
    if (!list || list.length === 0) return null;
    this.scheduleRefill(key);
    const now = this.nowMs();
    while (list.length > 0) {
      const next = list.shift() as Ready;
      if (now - next.madeAtMs <= this.options.maxAgeMs && next.pc.signalingState !== 'closed')
        return next.pc;
      next.pc.close();
    }
    return null;
  }

  /** How many connections for `config` are being made now. */
  makingCount(config: RTCConfiguration | undefined): number {
    return this.making.get(configKey(config)) ?? 0;
  }

  private scheduleRefill(key: string, delayMs = this.options.refillDelayMs): void {
    if (this.refills.has(key)) return;
    this.refills.set(
      key,
      setTimeout(() => {
        this.refills.delete(key);
        // One at a time; the next one a gap after this one is ready.
        if (this.missing(key) > 0)
          void this.make(key).then(() => {
            if (this.missing(key) > 0) this.scheduleRefill(key, this.options.refillGapMs);
          });
      }, delayMs),
    );
  }

  private missing(key: string): number {
    return this.options.poolSize - (this.ready.get(key)?.length ?? 0) - (this.making.get(key) ?? 0);
  }

  /** Fills the pool for `key` at once (when warming: the page is starting anyway). */
  private fill(key: string): void {
    for (let i = this.missing(key); i > 0; i--) void this.make(key);
  }

  private async make(key: string): Promise<void> {
    const config = this.configs.get(key);
    if (!config) return;
    const list = this.ready.get(key) ?? [];
    this.ready.set(key, list);
    this.making.set(key, (this.making.get(key) ?? 0) + 1);
    const pc = new this.Warm(config);
    try {
      await pc.prepareOffer(this.options.gatherTimeoutMs);
      list.push({ pc, madeAtMs: this.nowMs() });
    } catch {
      pc.close();
    } finally {
      this.making.set(key, (this.making.get(key) ?? 1) - 1);
    }
  }
}

/** Tracker sockets opened ahead, by URL, until the tracker client asks for one. */
export class SocketPool {
  private readonly ready = new Map<string, WebSocket>();

  constructor(private readonly make: (url: string) => WebSocket) {}

  /** Opens a socket to each tracker not open or opening already. */
  warm(urls: readonly string[]): void {
    for (const url of urls) {
      if (!/^wss?:\/\//.test(url) || this.ready.has(url)) continue;
      let socket: WebSocket;
      try {
        socket = this.make(url);
      } catch {
        continue;
      }
      this.ready.set(url, socket);
      // One that fails or closes before it is asked for is dropped; the client makes its own.
      socket.addEventListener('close', () => {
        if (this.ready.get(url) === socket) this.ready.delete(url);
      });
    }
  }

  /** The socket opened ahead for `url` (once), or null. */
  take(url: string): WebSocket | null {
    const socket = this.ready.get(url) ?? null;
    this.ready.delete(url);
    if (!socket || socket.readyState > WebSocket.OPEN) return null;
    return socket;
  }
}

type Handler = ((this: WebSocket, event: Event) => unknown) | null;
type MessageHandler = ((this: WebSocket, event: MessageEvent) => unknown) | null;

/**
 * A WebSocket that reports `open` to a handler set after it opened, and counts the tracker
 * messages being handled (see OfferPool.answering).
 */
export function warmableWebSocket(Base: typeof WebSocket, pool: OfferPool): typeof WebSocket {
  return class WarmWebSocket extends Base {
    override get onopen(): Handler {
      return super.onopen as Handler;
    }

    override set onopen(handler: Handler) {
      super.onopen = handler;
      if (handler && this.readyState === Base.OPEN)
        queueMicrotask(() => {
          if (super.onopen === handler) handler.call(this, new Event('open'));
        });
    }

    override get onmessage(): MessageHandler {
      return super.onmessage as MessageHandler;
    }

    override set onmessage(handler: MessageHandler) {
      super.onmessage = handler
        ? (event: MessageEvent) => {
            pool.answering++;
            try {
              handler.call(this, event);
            } finally {
              pool.answering--;
            }
          }
        : null;
    }
  };
}

export interface WarmStart {
  readonly offers: OfferPool;
  readonly sockets: SocketPool;
}

/** Puts the warming constructors in the window's place (once); returns the pools. */
export function installWarmStart(
  scope: { RTCPeerConnection?: typeof RTCPeerConnection; WebSocket?: typeof WebSocket },
  options: WarmStartOptions = DEFAULT_WARM_START,
): WarmStart | null {
  const installed = (scope as { shoalWarmStart?: WarmStart }).shoalWarmStart;
  if (installed) return installed;
  const NativePc = scope.RTCPeerConnection;
  const NativeWs = scope.WebSocket;
  if (!NativePc || !NativeWs) return null;
  const Warm = warmablePeerConnection(NativePc);
  const offers = new OfferPool(Warm, options);
  const WarmWs = warmableWebSocket(NativeWs, offers);
  const sockets = new SocketPool((url) => new WarmWs(url));
  scope.RTCPeerConnection = new Proxy(Warm, {
    construct(target, args: [RTCConfiguration?], newTarget) {
      return offers.take(args[0]) ?? (Reflect.construct(target, args, newTarget) as object);
    },
  }) as unknown as typeof RTCPeerConnection;
  scope.WebSocket = new Proxy(WarmWs, {
    construct(target, args: [string | URL, (string | string[])?], newTarget) {
      const url = String(args[0]);
      return (
        (args[1] === undefined ? sockets.take(url) : null) ??
        (Reflect.construct(target, args, newTarget) as object)
      );
    },
  });
  const start: WarmStart = { offers, sockets };
  Object.defineProperty(scope, 'shoalWarmStart', { value: start });
  return start;
}

/** The pools installed in the window, if any. */
export const warmStartOf = (scope: object): WarmStart | null =>
  (scope as { shoalWarmStart?: WarmStart }).shoalWarmStart ?? null;
