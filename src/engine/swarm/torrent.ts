/**
 * The port (port.ts) over one webtorrent torrent: its readings, its connections as
 * `SwarmPeer`s, and the writes the engine may make. The torrent's private members are read
 * here and in the patches beside it, never outside `engine/swarm/`.
 */
import type { WtTorrent, WtWire } from 'webtorrent/dist/webtorrent.min.js';
import { DEFAULT_PIECE_STREAM, pieceStream } from './piece-stream.ts';
import { peerHasAll } from './patches/peer-has-all.ts';
import { measuredDownloadRate } from './patches/request-pipeline.ts';
import { withdrawRequests } from './patches/outstanding-requests.ts';
import { holdsOf, type RequestHolds } from './patches/held-requests.ts';
import { steerWires } from './patches/request-steering.ts';
import type { RequestDecision } from '../policy/request-queue.ts';
import { PriorityWriter } from './priorities.ts';
import { GatedWebSeed, type StockWebConn } from './webseed-conn.ts';
import { bansOf, type CutOffPeer } from './bans.ts';
import { connectionIsShared } from './neighbours/neighbours.ts';
import type {
  PriorityPlan,
  StreamRequest,
  SwarmEvents,
  SwarmFile,
  SwarmPeer,
  SwarmTorrent,
  WebSeedGate,
} from './port.ts';

let nextPeerId = 0;

/** Set bits among the first `count` of a bitfield (its bytes at once when it has them). */
function countBits(
  pieces: { get(index: number): boolean; readonly buffer?: Uint8Array },
  count: number,
): number {
  const buffer = pieces.buffer;
  let n = 0;
  if (!buffer) {
    for (let i = 0; i < count; i++) if (pieces.get(i)) n++;
    return n;
  }
  const whole = Math.min(buffer.length, Math.floor(count / 8));
  for (let i = 0; i < whole; i++) {
    let b = buffer[i] ?? 0;
    while (b) {
      b &= b - 1;
      n++;
    }
  }
  for (let i = whole * 8; i < count; i++) if (pieces.get(i)) n++;
  return n;
}

/** One webtorrent wire as a SwarmPeer. */
class WirePeer implements SwarmPeer {
  readonly id = `p${String(nextPeerId++)}`;
  constructor(
    private readonly wire: WtWire,
    private readonly holds: RequestHolds,
    private readonly wt: WtTorrent,
  ) {}
  get isWebSeed(): boolean {
    return this.wire.type === 'webSeed';
  }
  get closed(): boolean {
    return this.wire.destroyed === true;
  }
  get remoteId(): string | null {
    return this.isWebSeed ? null : (this.wire.peerId ?? null);
  }
  get neighbour(): boolean {
    if (this.isWebSeed) return false;
    // webtorrent's peer of this wire holds the connection it runs over.
    for (const peer of this.wt._peers?.values() ?? [])
      if (peer.wire === this.wire) return connectionIsShared(peer.conn);
    return false;
  }
  has(piece: number): boolean {
    return this.wire.peerPieces.get(piece);
  }
  hasCount(pieceCount: number): number {
    if (peerHasAll(this.wire.peerPieces, pieceCount)) return pieceCount;
    return countBits(this.wire.peerPieces, pieceCount);
  }
  hasAll(pieceCount: number): boolean {
    // Not webtorrent's wire.isSeeder: see patches/peer-has-all.ts.
    return peerHasAll(this.wire.peerPieces, pieceCount);
  }
  downRateBytesPerS(): number {
    return measuredDownloadRate(this.wire);
  }
  upRateBytesPerS(): number {
    return this.wire.uploadSpeed();
  }
  get interested(): boolean {
    return this.wire.peerInterested;
  }
  get choked(): boolean {
    return this.wire.amChoking;
  }
  setChoked(choked: boolean): void {
    if (choked && !this.wire.amChoking) this.wire.choke();
    if (!choked && this.wire.amChoking) this.wire.unchoke();
  }
  disconnect(): void {
    this.wire.destroy();
  }
  get queued(): SwarmPeer['queued'] {
    return this.wire.requests;
  }
  get chokesUs(): boolean {
    return this.wire.peerChoking;
  }
  withdraw(withdraw: (piece: number) => boolean): void {
    withdrawRequests([this.wire], withdraw);
  }
  get snubbed(): boolean {
    return this.holds.isHeld(this.wire);
  }
  setSnubbed(snubbed: boolean): void {
    // Held first: a withdrawn block's callback schedules a request round, which must skip it.
    this.holds.hold(this.wire, snubbed);
    if (snubbed) withdrawRequests([this.wire], () => true);
  }
  dropSilent(): void {
    if (this.wire.destroyed !== true) this.holds.dropped++;
    this.wire.destroy();
  }
  onBytes(direction: 'down' | 'up', cb: (bytes: number) => void): void {
    this.wire.on(direction === 'down' ? 'download' : 'upload', cb);
  }
}

const peers = new WeakMap<WtWire, WirePeer>();

/** The one SwarmPeer of a wire of the torrent `wt`. */
export function peerOf(wire: WtWire, wt: WtTorrent): SwarmPeer {
  let peer = peers.get(wire);
  if (!peer) {
    peer = new WirePeer(wire, holdsOf(wt), wt);
    peers.set(wire, peer);
  }
  return peer;
}

export class WebTorrentSwarm implements SwarmTorrent {
  private readonly writer: PriorityWriter;

  constructor(private readonly wt: WtTorrent) {
    this.writer = new PriorityWriter(wt);
  }

  get infoHash(): string {
    return this.wt.infoHash;
  }
  get name(): string | undefined {
    return this.wt.name;
  }
  get magnetURI(): string {
    return this.wt.magnetURI;
  }
  get torrentFile(): Uint8Array {
    return this.wt.torrentFile;
  }
  get ready(): boolean {
    return this.wt.ready;
  }
  get done(): boolean {
    return this.wt.done;
  }
  get destroyed(): boolean {
    return this.wt.destroyed;
  }
  get paused(): boolean {
    return this.wt.paused;
  }
  get length(): number {
    return this.wt.length;
  }
  get pieceLength(): number {
    return this.wt.pieceLength;
  }
  get pieces(): { readonly length: number } {
    return this.wt.pieces;
  }
  get bitfield(): SwarmTorrent['bitfield'] {
    return this.wt.bitfield ?? null;
  }
  get downloaded(): number {
    return this.wt.downloaded;
  }
  get uploaded(): number {
    return this.wt.uploaded;
  }
  get downloadSpeed(): number {
    return this.wt.downloadSpeed;
  }
  get uploadSpeed(): number {
    return this.wt.uploadSpeed;
  }
  get numPeers(): number {
    return this.wt.numPeers;
  }
  get files(): readonly SwarmFile[] {
    return this.wt.files;
  }
  get webSeedUrls(): readonly string[] {
    return this.wt.urlList ?? [];
  }

  peers(): readonly SwarmPeer[] {
    return this.wt.wires.map((wire) => peerOf(wire, this.wt));
  }

  get hashFailures(): number {
    return bansOf(this.wt).hashFailures;
  }

  cutOff(): readonly CutOffPeer[] {
    return bansOf(this.wt).list();
  }

  get snubs(): SwarmTorrent['snubs'] {
    const { snubbed, dropped } = holdsOf(this.wt);
    return { snubbed, dropped };
  }

  askedOf(piece: number): readonly SwarmPeer[] {
    const asked = this.wt._reservations?.[piece] ?? [];
    const out: SwarmPeer[] = [];
    for (const wire of asked) if (wire) out.push(peerOf(wire, this.wt));
    return out;
  }

  addGatedWebSeed(url: string, nowMs: () => number): WebSeedGate | null {
    this.wt.addWebSeed(url);
    const conn = this.wt._peers?.get(url)?.conn as StockWebConn | undefined;
    return conn ? new GatedWebSeed(conn, this.wt, url, nowMs) : null;
  }

  reannounce(): void {
    this.wt.discovery?.tracker?.update?.();
  }

  applyPriorities(plan: PriorityPlan): void {
    this.writer.apply(plan);
  }

  steerRequests(decision: RequestDecision): void {
    const byId = new Map<string, WtWire>();
    for (const wire of this.wt.wires) byId.set(peerOf(wire, this.wt).id, wire);
    const keepOff = new Map<WtWire, ReadonlySet<number>>();
    for (const [id, pieces] of decision.keepOff) {
      const wire = byId.get(id);
      if (wire) keepOff.set(wire, pieces);
    }
    const moves = [];
    for (const move of decision.moves) {
      const from = byId.get(move.from);
      const to = byId.get(move.to);
      if (from && to) moves.push({ from, to, block: move.request });
    }
    steerWires(this.wt, { keepOff, moves });
  }

  stream(file: SwarmFile, request: StreamRequest): ReadableStream<Uint8Array> {
    return pieceStream(this.wt, file, request.range, {
      ...DEFAULT_PIECE_STREAM,
      urgent: request.urgent,
    });
  }

  /** webtorrent's own stream of a file's bytes (no steering). */
  fileStream(path: string, range?: { start: number; end: number }): ReadableStream<Uint8Array> {
    const file = this.wt.files.find((f) => f.path === path);
    if (!file) throw new Error(`no file ${path}`);
    return file.stream(range);
  }

  on<E extends keyof SwarmEvents>(event: E, cb: SwarmEvents[E]): void {
    const on = this.wt.on.bind(this.wt) as (event: string, cb: (...args: never[]) => void) => void;
    if (event === 'peer') {
      const onPeer = cb as SwarmEvents['peer'];
      on('wire', (wire: WtWire) => {
        onPeer(peerOf(wire, this.wt));
      });
    } else on(event, cb);
  }

  once(event: 'ready' | 'close', cb: () => void): void {
    this.wt.once(event, cb);
  }
}
