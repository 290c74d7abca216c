// `--trace`: a timeline of Shoal's stream rounds, read in the pages. The viewer's and the
// seeder's webtorrent wires are watched (requests, blocks, cancels sent and received), with
// the viewer's verified pieces, its service worker's stream requests and the chunks sent back,
// and the video's events; each round prints where its start and its seek went
// (trace-summary.ts).
import type { StreamRequest } from '../src/stream/protocol.ts';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Peer } from './browser.ts';
import { originalOf } from './profile.ts';
import { BENCH_OUT_DIR, ROOT } from './servers.ts';

/** One thing that happened in a page, at epoch ms. */
export interface TraceEvent {
  readonly atMs: number;
  readonly what: string;
  readonly piece?: number;
  /** A block's offset in its piece. */
  readonly offset?: number;
  readonly bytes?: number;
  /** How long it took (a long frame, a refresh). */
  readonly ms?: number;
  readonly detail?: string;
}

interface TraceWindow {
  shoal?: { engine?: unknown };
  __trace?: TraceEvent[];
}

/** Watches a Shoal page's engine (its webtorrent client) and streams, from now on. */
export async function installTrace(peer: Peer, role: 'viewer' | 'seeder'): Promise<void> {
  await peer.page.evaluate((role) => {
    const w = window as unknown as TraceWindow;
    const events: TraceEvent[] = [];
    w.__trace = events;
    const now = (): number => performance.timeOrigin + performance.now();
    const log = (what: string, extra: Partial<TraceEvent> = {}): void => {
      events.push({ atMs: now(), what, ...extra });
    };
    type Wire = {
      request: (index: number, offset: number, length: number, cb: unknown) => unknown;
      piece: (index: number, offset: number, buffer: Uint8Array) => unknown;
      cancel: (index: number, offset: number, length: number) => unknown;
      on(event: string, cb: (...args: never[]) => void): void;
      __traced?: boolean;
    };
    type Torrent = {
      on(event: string, cb: (...args: never[]) => void): void;
      critical: (from: number, to: number) => void;
      __traced?: boolean;
    };
    const watchWire = (wire: Wire): void => {
      if (wire.__traced) return;
      wire.__traced = true;
      const request = wire.request.bind(wire);
      wire.request = (index, offset, length, cb) => {
        log('req>', { piece: index, offset });
        return request(index, offset, length, cb);
      };
      const piece = wire.piece.bind(wire);
      wire.piece = (index, offset, buffer) => {
        log('block>', { piece: index, offset });
        return piece(index, offset, buffer);
      };
      const cancel = wire.cancel.bind(wire);
      wire.cancel = (index, offset, length) => {
        log('cancel>', { piece: index, offset });
        return cancel(index, offset, length);
      };
      wire.on('piece', (index: number, offset: number) => {
        log('<block', { piece: index, offset });
      });
      wire.on('request', (index: number, offset: number) => {
        log('<req', { piece: index, offset });
      });
      wire.on('cancel', (index: number, offset: number) => {
        log('<cancel', { piece: index, offset });
      });
      // The wire's message handlers that take long (what a data channel message costs).
      const handlers = wire as unknown as Record<string, (...args: unknown[]) => unknown>;
      for (const name of ['_onMessage', '_onPiece', '_onExtended', '_onHaveAll', '_onUnchoke']) {
        const original = handlers[name];
        if (typeof original !== 'function') continue;
        handlers[name] = (...args: unknown[]) => {
          const t = performance.now();
          try {
            return original.apply(wire, args);
          } finally {
            const ms = performance.now() - t;
            if (ms >= 5) log('slow', { detail: name, ms: Math.round(ms) });
          }
        };
      }
      for (const event of ['interested', 'unchoke'])
        wire.on(event, () => {
          log(`<${event}`);
        });
    };
    const watchTorrent = (t: Torrent): void => {
      if (t.__traced) return;
      t.__traced = true;
      t.on('wire', (wire: Wire) => {
        log('wire');
        watchWire(wire);
      });
      t.on('verified', (index: number) => {
        log('verified', { piece: index });
      });
      t.on('metadata', () => {
        log('metadata');
      });
      const critical = t.critical.bind(t);
      t.critical = (from, to) => {
        log('critical', { piece: from, detail: String(to) });
        critical(from, to);
      };
    };
    // The connection's set-up: the tracker messages sent, and each peer connection's steps.
    // (The page's WebSocket may be the warm start's subclass: patch the native prototype.)
    let wsProto = WebSocket.prototype as object | null;
    while (wsProto && !Object.prototype.hasOwnProperty.call(wsProto, 'send'))
      wsProto = Object.getPrototypeOf(wsProto) as object | null;
    const send = (wsProto && Object.getOwnPropertyDescriptor(wsProto, 'send')?.value) as
      ((this: WebSocket, data: unknown) => void) | undefined;
    if (wsProto && send)
      Object.defineProperty(wsProto, 'send', {
        configurable: true,
        writable: true,
        value: function (this: WebSocket, data: unknown): void {
          if (typeof data === 'string') {
            const m = /"(offers|answer)"/.exec(data);
            const action = /"action":"(\w+)"/.exec(data)?.[1] ?? '?';
            log('ws>', { detail: `${action}${m ? ` ${m[1] ?? ''}` : ''}` });
          }
          send.call(this, data);
        },
      });
    type Handler = ((this: RTCDataChannel, e: Event) => void) | null;
    const onopen = Object.getOwnPropertyDescriptor(RTCDataChannel.prototype, 'onopen') as
      | {
          readonly get?: (this: RTCDataChannel) => Handler;
          readonly set?: (this: RTCDataChannel, handler: Handler) => void;
        }
      | undefined;
    const openSet = onopen?.set;
    if (onopen?.get && openSet)
      Object.defineProperty(RTCDataChannel.prototype, 'onopen', {
        configurable: true,
        get: onopen.get,
        set(this: RTCDataChannel, handler: Handler) {
          openSet.call(
            this,
            handler &&
              function (this: RTCDataChannel, e: Event) {
                log('pc', { detail: 'channel open' });
                handler.call(this, e);
              },
          );
        },
      });
    // The neighbour overlay's control messages (JSON text on the control channel), both ways.
    const ctlType = (data: unknown): string | null =>
      typeof data === 'string' ? (/^\{"t":"(\w+)"/.exec(data)?.[1] ?? null) : null;
    const dcProto = RTCDataChannel.prototype as unknown as Record<
      'send',
      (this: RTCDataChannel, data: unknown) => void
    >;
    const dcSend = dcProto.send;
    dcProto.send = function (this: RTCDataChannel, data: unknown): void {
      const t = ctlType(data);
      if (t) log('ctl>', { detail: t });
      dcSend.call(this, data);
    };
    type Pc = RTCPeerConnection & { __traced?: boolean };
    const pcs = RTCPeerConnection.prototype as unknown as Record<
      string,
      (this: Pc, ...args: unknown[]) => Promise<unknown>
    >;
    const watchPc = (pc: Pc): void => {
      if (pc.__traced) return;
      pc.__traced = true;
      pc.addEventListener('connectionstatechange', () => {
        log('pc', { detail: pc.connectionState });
      });
      pc.addEventListener('icegatheringstatechange', () => {
        log('pc', { detail: `gathering ${pc.iceGatheringState}` });
      });
    };
    for (const name of ['setLocalDescription', 'setRemoteDescription']) {
      const original = pcs[name];
      if (!original) continue;
      pcs[name] = function (this: Pc, ...args: unknown[]): Promise<unknown> {
        watchPc(this);
        const type = (args[0] as { type?: string } | undefined)?.type ?? '';
        if (name === 'setRemoteDescription') log('pc', { detail: `remote ${type}` });
        return original.apply(this, args);
      };
    }
    // The engine's SwarmClient holds webtorrent's client (src/engine/swarm/client.ts).
    const client = (
      w.shoal?.engine as
        | {
            client?: {
              client?: { torrents: Torrent[]; on(e: string, cb: (t: Torrent) => void): void };
            };
          }
        | undefined
    )?.client?.client;
    if (!client) throw new Error('no engine client to trace');
    // What the overlay hears (its handler, through which every neighbour's message goes).
    const overlay = (w.shoal?.engine as { overlay?: Record<string, unknown> } | undefined)?.overlay;
    const received = overlay?.received as
      ((link: unknown, message: { t: string }) => void) | undefined;
    if (overlay && received)
      overlay.received = function (this: unknown, link: unknown, message: { t: string }): void {
        log('<ctl', { detail: message.t });
        received.call(this, link, message);
      };

    for (const t of client.torrents) {
      watchTorrent(t);
      for (const wire of (t as unknown as { wires: Wire[] }).wires) watchWire(wire);
    }
    client.on('add', watchTorrent);
    // The app's throttled refresh: the engine's snapshots, then what the UI does with them.
    type Timed = Record<string, (...args: unknown[]) => unknown>;
    const timed = (target: Timed | undefined, name: string, what: string): void => {
      const original = target?.[name];
      if (!target || typeof original !== 'function') return;
      target[name] = (...args: unknown[]) => {
        const t = performance.now();
        const result = original.apply(target, args);
        const ms = performance.now() - t;
        if (ms >= 2) log(what, { ms: Math.round(ms) });
        return result;
      };
    };
    const shoal = w.shoal as { engine?: Timed; store?: Timed } | undefined;
    timed(shoal?.engine, 'snapshots', 'snapshots');
    timed(shoal?.store, 'refresh', 'refresh');
    try {
      new PerformanceObserver((list) => {
        for (const e of list.getEntries()) {
          const scripts = (
            (
              e as unknown as {
                scripts?: {
                  invoker: string;
                  sourceURL: string;
                  sourceCharPosition: number;
                  duration: number;
                }[];
              }
            ).scripts ?? []
          )
            .slice(0, 4)
            .map(
              (x) =>
                `${x.invoker}@${x.sourceURL}#${String(x.sourceCharPosition)}:${x.duration.toFixed(0)}`,
            )
            .join(' ');
          const frame = e as unknown as { renderStart: number; styleAndLayoutStart: number };
          // Where the frame's time went besides its scripts: its render and its style/layout.
          const render = frame.renderStart > 0 ? e.startTime + e.duration - frame.renderStart : 0;
          const layout =
            frame.styleAndLayoutStart > 0
              ? e.startTime + e.duration - frame.styleAndLayoutStart
              : 0;
          events.push({
            atMs: performance.timeOrigin + e.startTime,
            what: 'loaf',
            ms: Math.round(e.duration),
            detail: `[render ${render.toFixed(0)} layout ${layout.toFixed(0)}] ${scripts}`,
          });
        }
      }).observe({ type: 'long-animation-frame', buffered: false });
    } catch {
      // no LoAF
    }
    if (role !== 'viewer') return;
    navigator.serviceWorker.addEventListener(
      'message',
      (event: MessageEvent) => {
        const data = event.data as Partial<StreamRequest> | null;
        if (data?.type !== 'shoal-stream') return;
        const detail = data.rangeHeader ?? 'none';
        if (data.timing) {
          events.push({ atMs: data.timing.fetchMs, what: 'sw-fetch', detail });
          events.push({ atMs: data.timing.postMs, what: 'sw-post', detail });
        }
        log('sw-range', { detail });
      },
      { capture: true },
    );
    const ports = new Map<MessagePort, number>();
    const post = Object.getOwnPropertyDescriptor(MessagePort.prototype, 'postMessage')?.value as
      ((this: MessagePort, ...args: unknown[]) => void) | undefined;
    if (post)
      Object.defineProperty(MessagePort.prototype, 'postMessage', {
        configurable: true,
        writable: true,
        value: function postMessage(this: MessagePort, ...args: unknown[]): void {
          const data = args[0] as { type?: string; bytes?: Uint8Array } | null;
          // Each response's port is numbered (#1, #2…) in the order its head went.
          let id = ports.get(this);
          if (id === undefined && data?.type === 'head') ports.set(this, (id = ports.size + 1));
          const detail = `#${String(id ?? '?')}`;
          if (data?.type === 'chunk')
            log('chunk>sw', { bytes: data.bytes?.byteLength ?? 0, detail });
          else if (data?.type === 'head' || data?.type === 'end')
            log(`${data.type}>sw`, { detail });
          post.apply(this, args);
        },
      });
    // Media events do not bubble, but a capturing listener on the document sees them.
    for (const name of ['loadedmetadata', 'canplay', 'playing', 'waiting', 'seeking', 'seeked'])
      document.addEventListener(
        name,
        (event) => {
          if (event.target instanceof HTMLMediaElement)
            log(name, { detail: event.target.currentTime.toFixed(2) });
        },
        true,
      );
  }, role);
}

export async function readTrace(peer: Peer): Promise<TraceEvent[]> {
  const events = await peer.page.evaluate(() => (window as unknown as TraceWindow).__trace ?? []);
  return Promise.all(
    events.map(async (e) =>
      e.what === 'loaf' && e.detail !== undefined ? { ...e, detail: await named(e.detail) } : e,
    ),
  );
}

const bundles = new Map<string, string | null>();

/** `invoker@url#charPosition:ms` → `invoker→function (source:line):ms`, through the source maps. */
async function named(scripts: string): Promise<string> {
  const parts = await Promise.all(
    scripts.split(' ').map(async (script) => {
      const match = /^(.*)@(https?:[^#]*)#(\d+):(\d+)$/.exec(script);
      if (!match) return script;
      const [, invoker = '', url = '', position = '0', ms = ''] = match;
      const path = new URL(url).pathname;
      if (!bundles.has(path)) {
        const file = join(ROOT, BENCH_OUT_DIR, path);
        bundles.set(path, existsSync(file) ? readFileSync(file, 'utf8') : null);
      }
      const text = bundles.get(path);
      if (!text) return `${invoker}:${ms}`;
      const before = text.slice(0, Number(position));
      const line = before.split('\n').length - 1;
      const column = before.length - before.lastIndexOf('\n') - 1;
      const original = await originalOf(url, line, column);
      const where = original?.source
        ? `${original.name ?? '?'} (${original.source.split('/').slice(-2).join('/')}:${String(original.line + 1)})`
        : '?';
      return `${invoker.split('.').pop() ?? invoker}→${where}:${ms}`;
    }),
  );
  return parts.join(' ');
}
