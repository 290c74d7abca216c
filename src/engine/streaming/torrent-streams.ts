/**
 * The files of live torrents as streams that steer their torrent's piece priorities: each
 * read opens a StreamSteering read (stream-steering.ts), and while any torrent is streamed
 * a timer re-steers as the reads move on. The engine hands in its records and their live
 * torrents.
 */
import type { SwarmFile, SwarmTorrent } from '../swarm/port.ts';
import { whenReady } from '../live-torrent.ts';
import { mimeTypeFor } from '../mime.ts';
import { EngineError, type FileReadable, type PlaybackReport } from '../types.ts';
import { prioritiesOf } from './priorities.ts';
import { StreamSteering, steeredStream } from './stream-steering.ts';

/** What the engine keeps of a torrent that this reads and writes. */
export interface StreamedRecord {
  readonly wt: SwarmTorrent | null;
  /** Steers the live torrent's priorities after its stream reads (made on the first one). */
  steering: StreamSteering | null;
}

/** How long the read opened at 'ready' for a play asked before it stands in for the stream. */
const STAND_IN_READ_MS = 1000;

export class TorrentStreams<R extends StreamedRecord> {
  private timer: ReturnType<typeof setInterval> | null = null;

  constructor(
    private readonly records: () => Iterable<R>,
    private readonly nowMs: () => number,
    /** How often piece priorities are re-steered while a file is being streamed. */
    private readonly steerMs = 500,
  ) {}

  /** The steering of a record's live torrent (made on its first read). */
  steeringOf(record: R, wt: SwarmTorrent): StreamSteering {
    if (record.steering === null)
      record.steering = new StreamSteering(wt, prioritiesOf(wt), this.nowMs);
    return record.steering;
  }

  /** A file of a record's live torrent as the swarm streams it (no steering). */
  readFile(record: R, path: string): FileReadable {
    const wt = record.wt;
    const file = wt?.files.find((f) => f.path === path);
    if (!wt || !file)
      throw new EngineError(`"${path}" is not available: resume the torrent first.`);
    return {
      name: file.name,
      lengthBytes: file.length,
      mimeType: mimeTypeFor(file.name),
      stream: (range) => wt.fileStream(file.path, range),
    };
  }

  /** Like readFile once the torrent is ready, but each read steers its piece priorities. */
  async openFile(record: R, path: string): Promise<FileReadable> {
    const wt = record.wt;
    if (!wt) throw new EngineError('That torrent is paused: resume it to play its files.');
    if (!wt.ready) this.steerAtReady(record, wt, path);
    await whenReady(wt);
    return this.streamable(record, path);
  }

  /** The file of the record's live torrent now (it may have been resumed meanwhile), steered. */
  private streamable(record: R, path: string): FileReadable {
    const readable = this.readFile(record, path);
    const wt = record.wt;
    const file = wt?.files.find((f) => f.path === path);
    if (!wt || !file) return readable;
    return { ...readable, stream: (range) => this.stream(record, wt, file, range) };
  }

  /** The player's report: the stream reads steered for are the ones under its playhead. */
  playback(record: R, report: PlaybackReport): void {
    const file = record.wt?.files.find((f) => f.path === report.path);
    if (file)
      record.steering?.follow(
        { offsetBytes: file.offset, lengthBytes: file.length },
        report.positionS,
        report.durationS,
        report.event === 'seeking',
      );
  }

  /** Bytes `range` of `file` of `wt` as they are verified, steering `wt` as they are read. */
  stream(
    record: R,
    wt: SwarmTorrent,
    file: SwarmFile,
    range: { start: number; end: number } | undefined,
  ): ReadableStream<Uint8Array> {
    // A torrent paused and resumed since has another live torrent: steer only this one.
    const steering =
      record.wt === wt
        ? this.steeringOf(record, wt)
        : new StreamSteering(wt, prioritiesOf(wt), this.nowMs);
    const span = { offsetBytes: file.offset, lengthBytes: file.length };
    this.start();
    return steeredStream(
      (urgent) => wt.stream(file, { range, urgent }),
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
  steerAtReady(record: R, wt: SwarmTorrent, path: string): void {
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
