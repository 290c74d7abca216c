/**
 * Steers one torrent's piece priorities after the files being streamed from it: keeps
 * its stream reads, follows the playhead of the torrent's one playback model (playback.ts),
 * asks `policy/playhead-window.ts` what to fetch first, and hands the plan to the torrent's
 * priorities (priorities.ts) when it changes.
 */
import {
  DEFAULT_PLAYHEAD_POLICY,
  IDLE_PLAN,
  estimateBitrate,
  planStreams,
  samePlan,
  type FileSpan,
  type PlayheadPolicy,
  type StreamPlan,
} from '../policy/playhead-window.ts';
import type { SwarmTorrent } from '../swarm/port.ts';
import type { Playback, Seek } from './playback.ts';
import type { Priorities } from './priorities.ts';

/** The members of the port the steering reads. */
export type SteerableTorrent = Pick<
  SwarmTorrent,
  'ready' | 'destroyed' | 'pieceLength' | 'pieces' | 'peers' | 'files'
> & { readonly bitfield: { get(index: number): boolean } | null };

/**
 * How long the plan outlives the last read. A media element ends a request and opens the
 * next one (a seek, or a re-request at the offset its demuxer wants) a few hundred ms apart
 * through the worker; going back to rarest-first over the whole torrent in between filled
 * the request pipeline with random pieces that the next read then waited behind (seek →
 * seeked 5–11 s in the bench instead of ~2 s).
 */
export const DEFAULT_LINGER_MS = 3000;

interface Read {
  readonly file: FileSpan;
  readonly startedAtMs: number;
  readonly startBytes: number;
  positionBytes: number;
  servedBytes: number;
}

/**
 * How far a read may start after, or have got to before, the playhead's estimated byte and
 * still count as the read under it: the estimate assumes a constant bitrate, and a seek's
 * request starts at the keyframe before the time asked. A fraction of the file, at most so
 * many seconds of it.
 */
export const PLAYHEAD_SLACK_FRACTION = 0.05;
export const PLAYHEAD_SLACK_S = 10;

/**
 * A seek the player reported steers at once, before its request reaches the tab: in
 * `npm run bench -- --only stream --trace` the element's `seeking` came 80–370 ms before the
 * worker's request got through a main thread busy with arriving blocks, and until then the
 * old position's pieces were still asked for. The window goes to the playhead's estimated
 * byte (at the file's average bitrate), less `SEEK_BACKOFF_S` of it: the estimate is rough,
 * and the keyframe the element reads from is before the time asked. It holds for at most
 * `SEEK_PREDICTION_MS`, or until a read holds the playhead.
 */
export const SEEK_BACKOFF_S = 1;
export const SEEK_PREDICTION_MS = 2000;

/** The playhead the player reported, in the file's bytes. */
interface Playhead {
  readonly file: FileSpan;
  /** Its position over its duration. */
  readonly fraction: number;
  /** The file's length over its duration. */
  readonly bitrateBytesPerS: number;
  /** The seek it is at that no read holds yet (null: none, or it is over). */
  readonly seek: Seek | null;
}

export class StreamSteering {
  private readonly reads = new Set<Read>();
  private applied: StreamPlan = IDLE_PLAN;
  /** The last trusted bitrate per file (by offset), so that a seek starts from it. */
  private readonly bitrates = new Map<number, number>();
  /** When the last read closed (null: a read is open, or the plan is idle already). */
  private idleSinceMs: number | null = null;
  /** The reads the plan followed when it was last made (see playheads). */
  private followed: ReadonlySet<Read> = new Set();
  /** The last seek steered for: its read held the playhead, its request came, or it lapsed. */
  private seekOver: Seek | null = null;
  /** The last seek reported (a new one steers at once). */
  private seekSeen: Seek | null = null;
  /** The read a seek is steered by until its request arrives. */
  private predicted: { readonly seek: Seek; readonly read: Read } | null = null;

  constructor(
    private readonly torrent: SteerableTorrent,
    /** Where the plan is written (with peer assist's part). */
    private readonly priorities: Priorities,
    /** What the player said last (the one model peer assist reads too). */
    private readonly playback: Playback,
    private readonly nowMs: () => number,
    private readonly policy: PlayheadPolicy = DEFAULT_PLAYHEAD_POLICY,
    private readonly lingerMs = DEFAULT_LINGER_MS,
  ) {}

  /** Reads open now. */
  get openReads(): number {
    return this.reads.size;
  }

  /**
   * Whether it still needs steering: a read is open, the last one closed just now, or a
   * seek is steered for before its read opens.
   */
  get active(): boolean {
    return (
      this.reads.size > 0 || this.idleSinceMs !== null || (this.playhead()?.seek ?? null) !== null
    );
  }

  get plan(): StreamPlan {
    return this.applied;
  }

  /** A read of `file` starting at byte `startBytes` of it; steers at once (a seek is urgent). */
  open(file: FileSpan, startBytes: number): Read {
    const read: Read = {
      file,
      startedAtMs: this.nowMs(),
      startBytes,
      positionBytes: startBytes,
      servedBytes: 0,
    };
    this.reads.add(read);
    this.idleSinceMs = null;
    this.steer();
    return read;
  }

  /**
   * The player reported (to the playback model): picks which of the file's open reads the
   * window follows; a seek no read holds yet is steered for at once.
   */
  reported(): void {
    const seek = this.playhead()?.seek ?? null;
    const fresh = seek !== null && seek !== this.seekSeen;
    this.seekSeen = seek;
    // A seek no request follows (the element had the bytes) lapses: steer again then, even
    // with no read open to keep the timer going, so the rest of the torrent is asked for again.
    if (fresh)
      setTimeout(() => {
        this.steer();
      }, SEEK_PREDICTION_MS + 1);
    // Reports come several times a second: steer when they change what the plan follows.
    if (fresh || (this.reads.size > 0 && this.playheads().some((r) => !this.followed.has(r))))
      this.steer();
  }

  /** The playhead of the playback model, if it is a position in one of the torrent's files. */
  private playhead(): Playhead | null {
    const p = this.playback.current;
    // No duration yet (NaN), or none at all (a live stream's Infinity): no playhead to follow.
    if (!p || !Number.isFinite(p.durationS) || p.durationS <= 0) return null;
    const fraction = p.positionS / p.durationS;
    if (!Number.isFinite(fraction) || fraction < 0 || fraction > 1) return null;
    const file = this.torrent.files.find((f) => f.path === p.path);
    if (!file) return null;
    return {
      file: { offsetBytes: file.offset, lengthBytes: file.length },
      fraction,
      bitrateBytesPerS: file.length / p.durationS,
      seek: p.seek !== this.seekOver ? p.seek : null,
    };
  }

  /**
   * Whether the plan follows `read` (it is under its file's playhead), or no plan was made
   * yet: what it waits for is urgent. The others' pieces come in their turn (see playheads).
   */
  follows(read: Read): boolean {
    return this.followed.size === 0 || this.followed.has(read);
  }

  advance(read: Read, bytes: number): void {
    read.positionBytes += bytes;
    read.servedBytes += bytes;
  }

  close(read: Read): void {
    if (!this.reads.delete(read)) return;
    if (this.reads.size === 0) this.idleSinceMs = this.nowMs();
    this.steer();
  }

  private bitrateOf(read: Read): number {
    const elapsedS = (this.nowMs() - read.startedAtMs) / 1000;
    const known = this.bitrates.get(read.file.offsetBytes);
    if (known !== undefined && elapsedS < this.policy.minObservedS) return known;
    const estimate = estimateBitrate(
      {
        fileLengthBytes: read.file.lengthBytes,
        durationS: null,
        observed: { bytes: read.servedBytes, elapsedS },
      },
      this.policy,
    );
    if (elapsedS >= this.policy.minObservedS) this.bitrates.set(read.file.offsetBytes, estimate);
    return estimate;
  }

  /** Recomputes the plan from where the reads are now, and applies what changed. */
  steer(): void {
    const t = this.torrent;
    if (t.destroyed || !t.ready) return;
    const heads = this.playheads();
    if (heads.length === 0 && this.idleSinceMs !== null) {
      if (this.nowMs() - this.idleSinceMs < this.lingerMs) return;
      this.idleSinceMs = null;
    }
    const bitfield = t.bitfield;
    // A new read under a playhead: a play or a seek.
    const moved = heads.some((read) => !this.followed.has(read));
    this.followed = new Set(heads);
    const next = planStreams(
      heads.map((read) => ({
        file: read.file,
        positionBytes: read.positionBytes,
        bitrateBytesPerS: this.bitrateOf(read),
      })),
      { pieceLengthBytes: t.pieceLength, pieceCount: t.pieces.length },
      (i) => bitfield?.get(i) ?? false,
      this.policy,
    );
    if (samePlan(next, this.applied)) return;
    this.applied = next;
    this.priorities.steer(next, next.critical);
    if (moved && !next.fillRest) this.cancelOutside(next);
  }

  /**
   * After a play or a seek with a short buffer, withdraws the requests outstanding for pieces
   * outside the new window: a peer answers requests in order, and a pipeline full of the
   * old position's blocks (up to a second or two of them) kept the seek's pieces waiting
   * behind. Withdrawn blocks go back to webtorrent's pool (bittorrent-protocol's cancel).
   */
  private cancelOutside(plan: StreamPlan): void {
    const wanted = (piece: number): boolean =>
      plan.window.some((r) => piece >= r.from && piece <= r.to) ||
      plan.critical.some((r) => piece >= r.from && piece <= r.to);
    for (const peer of this.torrent.peers()) peer.withdraw((piece) => !wanted(piece));
  }

  /**
   * The read under each file's playhead. A media element that seeks keeps an older request
   * open too, and opens others: after a seek, Chromium re-reads near the start of the file
   * (`bytes=655360-` in `npm run bench -- --only stream --trace`) between the seek's request
   * and its re-request a block further on. Steering for both split the bandwidth between the
   * seek and data nobody waits for; steering for the newest alone let that re-read take the
   * window, and the seek's outstanding requests were withdrawn for it, twice per seek.
   *
   * So the read followed is the one whose span (from its start to where it has got) holds
   * the playhead the player reported, within the slack; of several, the newest. Without a
   * report, or when none is near, the newest. The others still get their bytes (their
   * stream selections, and the piece each waits on is critical), only not the window.
   */
  private playheads(): Read[] {
    const head = this.playhead();
    const chosen = new Map<number, { read: Read; gap: number }>();
    for (const read of this.reads) {
      let gap = 0;
      if (head?.file.offsetBytes === read.file.offsetBytes) {
        const playhead = head.fraction * read.file.lengthBytes;
        const slack = Math.min(
          PLAYHEAD_SLACK_FRACTION * read.file.lengthBytes,
          PLAYHEAD_SLACK_S * this.knownBitrate(read.file),
        );
        gap = Math.max(
          0,
          read.startBytes - slack - playhead,
          playhead - read.positionBytes - slack,
        );
      }
      const other = chosen.get(read.file.offsetBytes);
      if (
        !other ||
        gap < other.gap ||
        (gap === other.gap && read.startedAtMs >= other.read.startedAtMs)
      )
        chosen.set(read.file.offsetBytes, { read, gap });
    }
    // A seek no read holds yet: steered for where its read will start.
    const seek = head?.seek;
    if (head && seek) {
      const offset = head.file.offsetBytes;
      // Over once a read of the file opened since the seek (its request: the estimate may be
      // far from where it starts, in a file whose bitrate varies), or a read holds the playhead.
      const requested = [...this.reads].some(
        (r) => r.file.offsetBytes === offset && r.startedAtMs >= seek.atMs,
      );
      if (
        this.nowMs() - seek.atMs > SEEK_PREDICTION_MS ||
        requested ||
        chosen.get(offset)?.gap === 0
      ) {
        this.seekOver = seek;
        this.predicted = null;
      } else {
        if (this.predicted?.seek !== seek) {
          const playhead = head.fraction * head.file.lengthBytes;
          const start = Math.max(0, Math.floor(playhead - SEEK_BACKOFF_S * head.bitrateBytesPerS));
          this.predicted = {
            seek,
            read: {
              file: head.file,
              startedAtMs: seek.atMs,
              startBytes: start,
              positionBytes: start,
              servedBytes: 0,
            },
          };
        }
        chosen.set(offset, { read: this.predicted.read, gap: 0 });
      }
    }
    return [...chosen.values()].map((c) => c.read);
  }

  /** The file's bitrate as measured by a read before, or the policy's assumption. */
  private knownBitrate(file: FileSpan): number {
    return this.bitrates.get(file.offsetBytes) ?? this.policy.fallbackBitrateBytesPerS;
  }
}

/**
 * Wraps a file's byte stream so that the steering follows it: opened at its first byte,
 * advanced as bytes are pulled, closed when it ends, fails or is cancelled. Pulls nothing
 * ahead of its reader. The stream is made by `make`, told whether what it waits for is
 * urgent (whether the steering follows this read).
 */
export function steeredStream(
  make: (urgent: () => boolean) => ReadableStream<Uint8Array>,
  steering: StreamSteering,
  file: FileSpan,
  startBytes: number,
): ReadableStream<Uint8Array> {
  const read = steering.open(file, startBytes);
  const reader = make(() => steering.follows(read)).getReader();
  let open = true;
  const close = (): void => {
    if (!open) return;
    open = false;
    steering.close(read);
  };
  return new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        try {
          const { value, done } = await reader.read();
          if (done) {
            close();
            controller.close();
            return;
          }
          steering.advance(read, value.byteLength);
          controller.enqueue(value);
        } catch (err) {
          close();
          controller.error(err);
        }
      },
      cancel(reason) {
        close();
        return reader.cancel(reason);
      },
    },
    { highWaterMark: 0 },
  );
}
