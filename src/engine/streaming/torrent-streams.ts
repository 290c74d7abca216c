/**
 * The files of live torrents as streams that steer their torrent's piece priorities: each
 * read opens a StreamSteering read (stream-steering.ts), and while any torrent is streamed
 * a timer re-steers as the reads move on. The engine (webtorrent-client.ts) hands in its
 * records and their live torrents, seen through the few members used here.
 */
import { DEFAULT_PIECE_STREAM, pieceStream, type PieceSource } from './piece-stream.ts';
import { StreamSteering, steeredStream, type SteerableTorrent } from './stream-steering.ts';

export type StreamTorrent = SteerableTorrent &
  PieceSource & {
    readonly files: readonly {
      readonly path: string;
      readonly offset: number;
      readonly length: number;
    }[];
    once(event: 'ready', cb: () => void): unknown;
  };

/** What the engine keeps of a torrent that this reads and writes. */
export interface StreamedRecord<T extends StreamTorrent> {
  readonly wt: T | null;
  /** Steers the live torrent's priorities after its stream reads (made on the first one). */
  steering: StreamSteering | null;
}

/** How long the read opened at 'ready' for a play asked before it stands in for the stream. */
const STAND_IN_READ_MS = 1000;

export class TorrentStreams<T extends StreamTorrent, R extends StreamedRecord<T>> {
  private timer: ReturnType<typeof setInterval> | null = null;

  constructor(
    private readonly records: () => Iterable<R>,
    private readonly nowMs: () => number,
    /** How often piece priorities are re-steered while a file is being streamed. */
    private readonly steerMs = 500,
  ) {}

  /** The steering of a record's live torrent (made on its first read). */
  steeringOf(record: R, wt: T): StreamSteering {
    if (record.steering === null) record.steering = new StreamSteering(wt, this.nowMs);
    return record.steering;
  }

  /** Bytes `range` of `file` of `wt` as they are verified, steering `wt` as they are read. */
  stream(
    record: R,
    wt: T,
    file: T['files'][number],
    range: { start: number; end: number } | undefined,
  ): ReadableStream<Uint8Array> {
    // A torrent paused and resumed since has another live torrent: steer only this one.
    const steering =
      record.wt === wt ? this.steeringOf(record, wt) : new StreamSteering(wt, this.nowMs);
    const span = { offsetBytes: file.offset, lengthBytes: file.length };
    this.start();
    return steeredStream(
      (urgent) => pieceStream(wt, file, range, { ...DEFAULT_PIECE_STREAM, urgent }),
      steering,
      span,
      range?.start ?? 0,
    );
  }

  /**
   * A play asked before the metadata arrived: the file's first pieces become the first ones
   * requested. webtorrent sends its first requests synchronously right after its 'ready'
   * event, before anything awaiting the torrent runs; without this they went to random
   * pieces (rarest-first over equals) and the stream's first piece queued behind them
   * (bench: ready → piece 0 verified 100–170 ms). A read at the file's start stands in for
   * the stream until the stream opens its own, microtasks later.
   */
  steerAtReady(record: R, wt: T, path: string): void {
    wt.once('ready', () => {
      const file = wt.files.find((f) => f.path === path);
      if (record.wt !== wt || !file) return;
      const steering = this.steeringOf(record, wt);
      const read = steering.open({ offsetBytes: file.offset, lengthBytes: file.length }, 0);
      this.start();
      setTimeout(() => {
        steering.close(read);
      }, STAND_IN_READ_MS);
    });
  }

  /** Re-steers while any torrent is being streamed, as the reads move on; stops after. */
  private start(): void {
    if (this.timer !== null) return;
    this.timer = setInterval(() => {
      let active = false;
      for (const record of this.records()) {
        if (!record.steering?.active) continue;
        active = true;
        record.steering.steer();
      }
      if (!active) this.stop();
    }, this.steerMs);
  }

  stop(): void {
    if (this.timer !== null) clearInterval(this.timer);
    this.timer = null;
  }
}
