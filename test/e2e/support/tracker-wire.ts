// The tracker as its operator runs it (`npm run tracker`, a process of its own, limits set by
// environment) and clients speaking its WebSocket protocol with the `ws` package, on loopback.
import { spawn, type ChildProcess } from 'node:child_process';
import { resolve } from 'node:path';
import WebSocket from 'ws';

const ROOT = resolve(import.meta.dirname, '../../..');

export interface TrackerStats {
  sockets: number;
  torrents: number;
  peers: number;
  rssBytes: number;
  heapUsedBytes: number;
}

export interface TrackerChild {
  readonly url: string;
  /** Whether the process is still running (a crash ends it). */
  alive(): boolean;
  /** What it prints on SIGUSR2: its sockets, torrents, peers and memory. */
  stats(): Promise<TrackerStats>;
  stop(): Promise<void>;
}

/** Starts `tracker/server.ts` on a free port with `env` (e.g. TRACKER_MAX_SOCKETS). */
export function startTrackerChild(env: Record<string, string> = {}): Promise<TrackerChild> {
  const child: ChildProcess = spawn(
    process.execPath,
    ['--expose-gc', '--import', 'tsx', 'tracker/server.ts'],
    {
      cwd: ROOT,
      env: { ...process.env, TRACKER_PORT: '0', TRACKER_HOST: '127.0.0.1', ...env },
      stdio: ['ignore', 'pipe', 'ignore'],
    },
  );
  const lines: ((line: string) => void)[] = [];
  let buffered = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    buffered += chunk.toString();
    const parts = buffered.split('\n');
    buffered = parts.pop() ?? '';
    for (const line of parts) lines.shift()?.(line);
  });
  const nextLine = (): Promise<string> =>
    new Promise((done) => {
      lines.push(done);
    });
  return new Promise((done, fail) => {
    child.once('error', fail);
    void nextLine().then((line) => {
      const url = /ws:\/\/\S+/.exec(line)?.[0];
      if (url === undefined) {
        fail(new Error(`tracker said: ${line}`));
        return;
      }
      done({
        url,
        alive: () => child.exitCode === null && child.signalCode === null,
        stats: async () => {
          const line = nextLine();
          child.kill('SIGUSR2');
          return JSON.parse(await line) as TrackerStats;
        },
        stop: () =>
          new Promise((stopped) => {
            if (child.exitCode !== null || child.signalCode !== null) {
              stopped();
              return;
            }
            child.once('exit', () => {
              stopped();
            });
            child.kill('SIGKILL');
          }),
      });
    });
  });
}

export type Message = Record<string, unknown>;

/** A client of the tracker: what it received, and how its socket ended. */
export class WireClient {
  readonly received: Message[] = [];
  /** The close code, once closed. */
  closeCode: number | null = null;
  private readonly waiters: (() => void)[] = [];

  private constructor(readonly socket: WebSocket) {
    socket.on('message', (data: WebSocket.RawData) => {
      const text = Buffer.isBuffer(data) ? data.toString('utf8') : '';
      this.received.push(JSON.parse(text) as Message);
      this.wake();
    });
    socket.on('close', (code: number) => {
      this.closeCode = code;
      this.wake();
    });
    socket.on('error', () => {
      // A refused or cut connection also closes: the test reads closeCode.
    });
  }

  static open(url: string): Promise<WireClient> {
    return new Promise((done, fail) => {
      const socket = new WebSocket(url);
      socket.once('open', () => {
        done(new WireClient(socket));
      });
      socket.once('unexpected-response', (_request, response) => {
        fail(new Error(`refused: ${String(response.statusCode)}`));
      });
      socket.once('error', fail);
    });
  }

  send(message: Message | string | Buffer): void {
    this.socket.send(
      typeof message === 'object' && !Buffer.isBuffer(message) ? JSON.stringify(message) : message,
    );
  }

  /** The first message received (from `from` on) that `test` accepts. */
  async next(test: (message: Message) => boolean, from = 0): Promise<Message> {
    for (;;) {
      const found = this.received.slice(from).find(test);
      if (found) return found;
      if (this.closeCode !== null)
        throw new Error(`closed (${String(this.closeCode)}) while waiting`);
      await new Promise<void>((woken) => this.waiters.push(woken));
    }
  }

  /** Resolves with the close code once the tracker (or the client) has closed the socket. */
  async closed(): Promise<number> {
    while (this.closeCode === null) await new Promise<void>((woken) => this.waiters.push(woken));
    return this.closeCode;
  }

  close(): void {
    this.socket.terminate();
  }

  private wake(): void {
    for (const waiter of this.waiters.splice(0)) waiter();
  }
}

/** A 20-character id (info-hash or peer id) as the protocol carries one. */
export const id = (prefix: string, n: number): string =>
  `${prefix}${String(n)}`.padStart(20, '-').slice(-20);

/** An announce as webtorrent's client sends one, with `offers` offers of a small SDP each. */
export function announce(infoHash: string, peerId: string, offers = 0): Message {
  return {
    action: 'announce',
    info_hash: infoHash,
    peer_id: peerId,
    numwant: offers,
    uploaded: 0,
    downloaded: 0,
    left: 1,
    event: 'started',
    offers: Array.from({ length: offers }, (_, k) => ({
      offer: { type: 'offer', sdp: `v=0 offer ${String(k)}` },
      offer_id: id('offer', k),
    })),
  };
}

/** The tracker's answer to an announce of `infoHash`: the swarm's counts. */
export const isAnswerTo =
  (infoHash: string) =>
  (message: Message): boolean =>
    message.info_hash === infoHash && typeof message.complete === 'number';
