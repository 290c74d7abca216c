/**
 * A small fake of the swarm's port (src/engine/swarm/port.ts): a torrent of `pieceCount`
 * pieces with peers whose pieces, rates and interest a test sets, recording what is written
 * to it (priority plans, web seeds added, re-announces).
 */
import type {
  PriorityPlan,
  SwarmEvents,
  SwarmFile,
  SwarmPeer,
  SwarmTorrent,
  WebSeedGate,
} from '../../../src/engine/swarm/port.ts';
import type { PieceRange } from '../../../src/engine/policy/playhead-window.ts';
import type { RequestDecision } from '../../../src/engine/policy/request-queue.ts';
import type { PlaybackReport } from '../../../src/engine/types.ts';

let nextId = 0;

export class FakePeer implements SwarmPeer {
  readonly id = `fake${String(nextId++)}`;
  isWebSeed = false;
  closed = false;
  remoteId: string | null = null;
  neighbour = false;
  pieces = new Set<number>();
  downRate = 0;
  upRate = 0;
  interested = false;
  choked = true;
  queued: { piece: number; offset: number; length: number }[] = [];
  chokesUs = false;
  private readonly listeners = {
    down: [] as ((b: number) => void)[],
    up: [] as ((b: number) => void)[],
  };

  constructor(
    init: Partial<
      Pick<FakePeer, 'interested' | 'downRate' | 'upRate' | 'isWebSeed' | 'remoteId' | 'neighbour'>
    > & {
      pieces?: Iterable<number>;
    } = {},
  ) {
    Object.assign(this, { ...init, pieces: new Set(init.pieces ?? []) });
  }
  has(piece: number): boolean {
    return this.pieces.has(piece);
  }
  hasAll(pieceCount: number): boolean {
    for (let i = 0; i < pieceCount; i++) if (!this.pieces.has(i)) return false;
    return pieceCount > 0;
  }
  hasCount(pieceCount: number): number {
    return [...this.pieces].filter((i) => i < pieceCount).length;
  }
  downRateBytesPerS(): number {
    return this.downRate;
  }
  upRateBytesPerS(): number {
    return this.upRate;
  }
  setChoked(choked: boolean): void {
    this.choked = choked;
  }
  disconnect(): void {
    this.closed = true;
  }
  withdraw(withdraw: (piece: number) => boolean): void {
    this.queued = this.queued.filter((b) => !withdraw(b.piece));
  }
  snubbed = false;
  /** Times it was dropped for sending nothing. */
  droppedSilent = 0;
  setSnubbed(snubbed: boolean): void {
    this.snubbed = snubbed;
    if (snubbed) this.queued = [];
  }
  dropSilent(): void {
    this.droppedSilent++;
    this.closed = true;
  }
  onBytes(direction: 'down' | 'up', cb: (bytes: number) => void): void {
    this.listeners[direction].push(cb);
  }
  /** The peer sends (down) or is sent (up) piece data. */
  transfer(direction: 'down' | 'up', bytes: number): void {
    for (const cb of this.listeners[direction]) cb(bytes);
  }
}

export class FakeGate implements WebSeedGate {
  allowed: readonly PieceRange[] = [];
  readonly stats = { requests: 0, bytes: 0 };
  constructor(readonly url: string) {}
  allow(ranges: readonly PieceRange[]): void {
    this.allowed = ranges;
  }
}

export class FakeSwarm implements SwarmTorrent {
  readonly infoHash = 'a'.repeat(40);
  readonly name = 'fake';
  readonly magnetURI = `magnet:?xt=urn:btih:${'a'.repeat(40)}`;
  readonly torrentFile = new Uint8Array();
  ready = true;
  done = false;
  destroyed = false;
  paused = false;
  readonly pieceLength: number;
  readonly pieces: { readonly length: number };
  readonly length: number;
  readonly verified = new Set<number>();
  readonly bitfield = {
    get: (i: number): boolean => this.verified.has(i),
    buffer: new Uint8Array(),
  };
  downloaded = 0;
  uploaded = 0;
  downloadSpeed = 0;
  uploadSpeed = 0;
  webSeedUrls: string[] = [];
  files: SwarmFile[];
  connected: FakePeer[] = [];
  /** What was written: every plan, every web seed added, each re-announce. */
  readonly plans: PriorityPlan[] = [];
  readonly gates: FakeGate[] = [];
  /** Each round of the greedy request scheduler. */
  readonly requestRounds: RequestDecision[] = [];
  reannounces = 0;
  private readonly listeners = new Map<string, ((...args: never[]) => void)[]>();

  constructor(pieceCount: number, pieceLength = 16 * 1024, files?: SwarmFile[]) {
    this.pieceLength = pieceLength;
    this.pieces = { length: pieceCount };
    this.length = pieceCount * pieceLength;
    this.files = files ?? [
      {
        path: 'fake/a.bin',
        name: 'a.bin',
        offset: 0,
        length: this.length,
        downloaded: 0,
        done: false,
      },
    ];
  }
  get numPeers(): number {
    return this.connected.length;
  }
  peers(): readonly SwarmPeer[] {
    return this.connected.filter((p) => !p.closed);
  }
  hashFailures = 0;
  readonly snubs = { snubbed: 0, dropped: 0 };
  cutOff(): readonly { remoteId: string; reason: string }[] {
    return [];
  }
  askedOf(): readonly SwarmPeer[] {
    return [];
  }
  addGatedWebSeed(url: string): WebSeedGate {
    const gate = new FakeGate(url);
    this.gates.push(gate);
    return gate;
  }
  reannounce(): void {
    this.reannounces++;
  }
  applyPriorities(plan: PriorityPlan): void {
    this.plans.push(plan);
  }
  steerRequests(decision: RequestDecision): void {
    this.requestRounds.push(decision);
  }
  stream(): ReadableStream<Uint8Array> {
    return new ReadableStream();
  }
  fileStream(): ReadableStream<Uint8Array> {
    return new ReadableStream();
  }
  on<E extends keyof SwarmEvents>(event: E, cb: SwarmEvents[E]): void {
    const list = this.listeners.get(event) ?? [];
    list.push(cb);
    this.listeners.set(event, list);
  }
  once(event: 'ready' | 'close', cb: () => void): void {
    this.on(event, cb);
  }
  /** A peer connects. */
  connect(peer: FakePeer): FakePeer {
    this.connected.push(peer);
    for (const cb of this.listeners.get('peer') ?? []) (cb as (p: SwarmPeer) => void)(peer);
    return peer;
  }
}

/** Bytes of each track of `albumSwarm`: 64 pieces of 64 KiB. */
export const ALBUM_TRACK_BYTES = 64 * 64 * 1024;

/** A two-track album: album/1.mp3 is pieces 0–63, album/2.mp3 pieces 64–127. */
export function albumSwarm(): FakeSwarm {
  const track = (n: number): SwarmFile => ({
    path: `album/${String(n)}.mp3`,
    name: `${String(n)}.mp3`,
    offset: (n - 1) * ALBUM_TRACK_BYTES,
    length: ALBUM_TRACK_BYTES,
    downloaded: 0,
    done: false,
  });
  return new FakeSwarm(128, 64 * 1024, [track(1), track(2)]);
}

/** A player's report on the fake torrent: playing `path` at 0 s of a 60 s file unless told. */
export const report = (fields: Partial<PlaybackReport>): PlaybackReport => ({
  infoHash: 'a'.repeat(40),
  path: 'fake/a.bin',
  positionS: 0,
  durationS: 60,
  bufferedAheadS: 0,
  playing: true,
  event: 'timeupdate',
  ...fields,
});
