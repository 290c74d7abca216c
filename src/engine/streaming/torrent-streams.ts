/**
 * The files of live torrents as streams that steer their torrent's piece priorities: each
 * read opens a read of its torrent's steering (stream-steering.ts), which its controller's
 * tick re-steers as the reads move on (control.ts).
 */
import type { SwarmFile, SwarmTorrent } from '../swarm/port.ts';
import { whenReady } from '../live-torrent.ts';
import { mimeTypeFor } from '../mime.ts';
import { EngineError, type FileReadable } from '../types.ts';
import { prioritiesOf } from './priorities.ts';
import type { TorrentControl } from './control.ts';
import { Playback } from './playback.ts';
import { StreamSteering, steeredStream } from './stream-steering.ts';

/** What the engine keeps of a torrent that this reads. */
export interface StreamedRecord {
  readonly wt: SwarmTorrent | null;
  /** The live torrent's controller, whose steering follows the reads. */
  readonly control: TorrentControl | null;
}

/** How long the read opened at 'ready' for a play asked before it stands in for the stream. */
const STAND_IN_READ_MS = 1000;

export class TorrentStreams<R extends StreamedRecord> {
  constructor(private readonly nowMs: () => number) {}

  /**
   * The steering of a live torrent: its controller's, or for a torrent paused and resumed
   * since (the record has another live torrent), one that steers only this one.
   */
  private steeringOf(record: R, wt: SwarmTorrent): StreamSteering {
    const control = record.wt === wt ? record.control : null;
    return (
      control?.steering ??
      new StreamSteering(wt, prioritiesOf(wt), new Playback(this.nowMs), this.nowMs)
    );
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

  /** Bytes `range` of `file` of `wt` as they are verified, steering `wt` as they are read. */
  stream(
    record: R,
    wt: SwarmTorrent,
    file: SwarmFile,
    range: { start: number; end: number } | undefined,
  ): ReadableStream<Uint8Array> {
    const steering = this.steeringOf(record, wt);
    const span = { offsetBytes: file.offset, lengthBytes: file.length };
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
      setTimeout(() => {
        steering.close(read);
      }, STAND_IN_READ_MS);
    });
  }
}
