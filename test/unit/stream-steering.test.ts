import { expect } from '@open-wc/testing';
import {
  DEFAULT_LINGER_MS,
  SEEK_PREDICTION_MS,
  StreamSteering,
  steeredStream,
  type SteerableTorrent,
} from '../../src/engine/streaming/stream-steering.ts';
import { Priorities } from '../../src/engine/streaming/priorities.ts';
import { Playback } from '../../src/engine/streaming/playback.ts';
import { PriorityWriter, WINDOW_PRIORITY } from '../../src/engine/swarm/priorities.ts';
import type { PriorityPlan, SwarmFile, SwarmPeer } from '../../src/engine/swarm/port.ts';
import { SelectionRecorder } from './support/selection-recorder.ts';
import { withdrawRequests } from '../../src/engine/swarm/patches/outstanding-requests.ts';
import { DEFAULT_PLAYHEAD_POLICY, type FileSpan } from '../../src/engine/policy/playhead-window.ts';

const KiB = 1024;
const MiB = 1024 * KiB;

/** A connection with block requests outstanding. */
class FakeWire {
  requests: { piece: number; offset: number; length: number }[] = [];
  cancel(index: number, offset: number, length: number): void {
    this.requests = this.requests.filter(
      (r) => !(r.piece === index && r.offset === offset && r.length === length),
    );
  }
}

/**
 * Records what the steering asks of the torrent: its plans go through the port's writer
 * (swarm/priorities.ts) into the webtorrent calls they make.
 */
class FakeTorrent extends SelectionRecorder implements SteerableTorrent {
  ready = true;
  destroyed = false;
  readonly pieceLength = 256 * KiB;
  readonly verified = new Set<number>();
  readonly bitfield = { get: (i: number) => this.verified.has(i) };
  constructor() {
    super(400);
  }
  readonly wires = [new FakeWire()];
  /** The files reported on, named as they come. */
  readonly files: SwarmFile[] = [];
  /** The torrent's one playback model, as its controller keeps it. */
  playback = new Playback(() => 0);
  private readonly writer = new PriorityWriter(this);
  applyPriorities(plan: PriorityPlan): void {
    this.writer.apply(plan);
  }
  peers(): readonly SwarmPeer[] {
    return this.wires.map(
      (wire) =>
        ({
          withdraw: (withdraw: (piece: number) => boolean) => {
            withdrawRequests([wire], withdraw);
          },
        }) as unknown as SwarmPeer,
    );
  }
}

/** A steering of `t` as its controller makes it, reading the torrent's playback model. */
function steeringOf(t: FakeTorrent, nowMs: () => number): StreamSteering {
  t.playback = new Playback(nowMs);
  return new StreamSteering(t, new Priorities(t), t.playback, nowMs);
}

/** The player reports its position and the file's duration in seconds, as the controller passes it on. */
function report(
  t: FakeTorrent,
  steering: StreamSteering,
  span: FileSpan,
  positionS: number,
  durationS: number,
  seeking = false,
): void {
  const path = `at-${String(span.offsetBytes)}.mp4`;
  const at = { offset: span.offsetBytes, length: span.lengthBytes };
  if (!t.files.some((f) => f.path === path))
    t.files.push({ path, name: path, ...at, downloaded: 0, done: false });
  t.playback.update({
    infoHash: 'a'.repeat(40),
    path,
    positionS,
    durationS,
    bufferedAheadS: 0,
    playing: true,
    event: seeking ? 'seeking' : 'timeupdate',
  });
  steering.reported();
}

const file = { offsetBytes: 0, lengthBytes: 100 * MiB };
const piece = (byte: number) => Math.floor(byte / (256 * KiB));
const fallback = DEFAULT_PLAYHEAD_POLICY.fallbackBitrateBytesPerS;

describe('StreamSteering', () => {
  it('a read makes its pieces critical, selects a window, stops the rest, goes in order', () => {
    const t = new FakeTorrent();
    const steering = steeringOf(t, () => 0);
    steering.open(file, 0);
    expect(t.calls).to.deep.equal([
      `window 0-${String(piece(60 * fallback - 1))} p${String(WINDOW_PRIORITY)}`,
      'deselect 0-399',
      `critical 0-${String(piece(2 * fallback - 1))}`,
    ]);
    expect(t.strategy).to.equal('sequential');
    expect(steering.active).to.equal(true);
  });

  it('a seek deselects the old window and selects the new one', () => {
    const t = new FakeTorrent();
    const steering = steeringOf(t, () => 0);
    const first = steering.open(file, 0);
    t.calls = [];
    steering.close(first);
    steering.open(file, 80 * MiB);
    const oldWindow = `0-${String(piece(60 * fallback - 1))}`;
    expect(t.calls).to.include(`unwindow ${oldWindow}`);
    expect(t.calls.some((c) => c.startsWith(`window ${String(piece(80 * MiB))}-`))).to.equal(true);
    expect(t.calls.some((c) => c.startsWith(`critical ${String(piece(80 * MiB))}-`))).to.equal(
      true,
    );
  });

  it('a seek withdraws the requests outstanding outside its window, and only a seek does', () => {
    const t = new FakeTorrent();
    let now = 0;
    const steering = steeringOf(t, () => now);
    const wire = t.wires[0];
    if (!wire) throw new Error('no wire');
    const first = steering.open(file, 0);
    const old = [3, 5, 7].map((piece) => ({ piece, offset: 0, length: 16 * KiB }));
    const near = { piece: piece(80 * MiB) + 1, offset: 0, length: 16 * KiB };
    wire.requests = [...old, near];
    now = 1000;
    steering.advance(first, 1 * MiB);
    steering.steer();
    expect(wire.requests).to.have.length(4);
    steering.close(first);
    steering.open(file, 80 * MiB);
    expect(wire.requests).to.deep.equal([near]);
  });

  it('when the last read ends, the plan lingers (a seek reopens at once), then goes back to rarest-first over everything', () => {
    const t = new FakeTorrent();
    let now = 0;
    const steering = steeringOf(t, () => now);
    const read = steering.open(file, 0);
    t.calls = [];
    steering.close(read);
    now = DEFAULT_LINGER_MS - 1;
    steering.steer();
    expect(t.calls).to.deep.equal([]);
    expect(t.strategy).to.equal('sequential');
    expect(steering.active).to.equal(true);
    now = DEFAULT_LINGER_MS;
    steering.steer();
    expect(t.calls).to.deep.equal([
      `unwindow 0-${String(piece(60 * fallback - 1))}`,
      'select 0-399 p0',
    ]);
    expect(t.strategy).to.equal('rarest');
    expect(steering.active).to.equal(false);
  });

  it('two reads of one file: the newest (the playhead after a seek) steers alone', () => {
    const t = new FakeTorrent();
    let now = 0;
    const steering = steeringOf(t, () => now);
    const a = { offsetBytes: 0, lengthBytes: 40 * MiB };
    steering.open(a, 0);
    now = 10;
    steering.open(a, 30 * MiB);
    // The window runs to the end of the file: 10 MiB left is less than 60 s of it.
    expect(steering.plan.window).to.deep.equal([
      { from: piece(30 * MiB), to: piece(40 * MiB - 1) },
    ]);
    expect(steering.plan.critical).to.deep.equal([
      { from: piece(30 * MiB), to: piece(30 * MiB + 2 * fallback - 1) },
    ]);
    // Another file streamed at the same time keeps its own window.
    steering.open({ offsetBytes: 60 * MiB, lengthBytes: 40 * MiB }, 0);
    expect(steering.plan.window.map((r) => r.from)).to.deep.equal([
      piece(30 * MiB),
      piece(60 * MiB),
    ]);
  });

  it('follows the read under the reported playhead: a re-read near the start after a seek takes nothing from it', () => {
    const t = new FakeTorrent();
    let now = 0;
    const steering = steeringOf(t, () => now);
    const wire = t.wires[0];
    if (!wire) throw new Error('no wire');
    const a = { offsetBytes: 0, lengthBytes: 40 * MiB };
    const played = steering.open(a, 0);
    steering.advance(played, 2 * MiB);
    // The player seeks to 75 % of the file; its request starts a little after that estimate.
    now = 100;
    report(t, steering, a, 45, 60);
    const seek = steering.open(a, 30 * MiB + 512 * KiB);
    const seekWindow = [{ from: piece(30 * MiB + 512 * KiB), to: piece(40 * MiB - 1) }];
    expect(steering.plan.window).to.deep.equal(seekWindow);
    const wanted = { piece: piece(31 * MiB), offset: 0, length: 16 * KiB };
    wire.requests = [wanted];
    // Chromium re-reads near the start while the seek is fetched: newer, but not the playhead.
    now = 200;
    const reread = steering.open(a, 640 * KiB);
    expect(steering.plan.window).to.deep.equal(seekWindow);
    expect(wire.requests).to.deep.equal([wanted]);
    // What the seek waits for is urgent; what the re-read and the old read wait for is not.
    expect([seek, reread, played].map((r) => steering.follows(r))).to.deep.equal([
      true,
      false,
      false,
    ]);
    // Once only the re-read is left, it steers.
    steering.close(seek);
    steering.close(played);
    expect(steering.plan.window[0]?.from).to.equal(piece(640 * KiB));
    expect(steering.follows(reread)).to.equal(true);
    steering.close(reread);
  });

  it('a playhead reported after the seek read opened moves the window to it, and withdraws the old requests', () => {
    const t = new FakeTorrent();
    let now = 0;
    const steering = steeringOf(t, () => now);
    const wire = t.wires[0];
    if (!wire) throw new Error('no wire');
    const a = { offsetBytes: 0, lengthBytes: 40 * MiB };
    const played = steering.open(a, 0);
    steering.advance(played, 4 * MiB);
    report(t, steering, a, 3, 60);
    now = 100;
    // The seek's request reaches the tab before the player's report of it.
    steering.open(a, 30 * MiB);
    expect(steering.plan.window[0]?.from).to.equal(piece(4 * MiB));
    const old = { piece: piece(4 * MiB) + 1, offset: 0, length: 16 * KiB };
    wire.requests = [old];
    report(t, steering, a, 45, 60);
    expect(steering.plan.window).to.deep.equal([
      { from: piece(30 * MiB), to: piece(40 * MiB - 1) },
    ]);
    expect(wire.requests).to.deep.equal([]);
    // A report that is no fraction of the file (no duration yet, or a live stream's) changes nothing.
    report(t, steering, a, 10, Number.NaN);
    report(t, steering, a, 0, Number.POSITIVE_INFINITY, true);
    expect(steering.plan.window[0]?.from).to.equal(piece(30 * MiB));
  });

  it('a seek the player reports is steered for before its request arrives; the request takes over, and one no request follows lapses', () => {
    const t = new FakeTorrent();
    let now = 0;
    const steering = steeringOf(t, () => now);
    const wire = t.wires[0];
    if (!wire) throw new Error('no wire');
    // 40 MiB over 80 s: 512 KiB a second.
    const a = { offsetBytes: 0, lengthBytes: 40 * MiB };
    const played = steering.open(a, 0);
    steering.advance(played, 2 * MiB);
    report(t, steering, a, 2, 80);
    const old = { piece: piece(2 * MiB) + 1, offset: 0, length: 16 * KiB };
    wire.requests = [old];
    now = 100;
    // To 60 s: byte 30 MiB, less a second of it.
    report(t, steering, a, 60, 80, true);
    expect(steering.plan.window[0]?.from).to.equal(piece(30 * MiB - 512 * KiB));
    expect(wire.requests).to.deep.equal([]);
    expect(steering.follows(played)).to.equal(false);
    // The element's 'waiting' at the same position keeps it.
    report(t, steering, a, 60, 80);
    expect(steering.plan.window[0]?.from).to.equal(piece(30 * MiB - 512 * KiB));
    // The seek's request arrives: the window goes where it starts.
    now = 300;
    const seek = steering.open(a, 30 * MiB - 128 * KiB);
    expect(steering.plan.window[0]?.from).to.equal(piece(30 * MiB - 128 * KiB));
    expect(steering.follows(seek)).to.equal(true);
    steering.close(seek);
    // A seek no request follows (the element had those bytes) lapses.
    now = 1000;
    report(t, steering, a, 20, 80, true);
    expect(steering.plan.window[0]?.from).to.equal(piece(10 * MiB - 512 * KiB));
    now += SEEK_PREDICTION_MS + 1;
    expect(steering.active).to.equal(true);
    steering.steer();
    expect(steering.plan.window[0]?.from).to.equal(piece(2 * MiB));
  });

  it("a seek's request that starts far from the estimate ends the estimate at once", () => {
    const t = new FakeTorrent();
    let now = 0;
    const steering = steeringOf(t, () => now);
    const a = { offsetBytes: 0, lengthBytes: 40 * MiB };
    const played = steering.open(a, 0);
    steering.advance(played, 2 * MiB);
    report(t, steering, a, 60, 80, true);
    now = 100;
    // A variable bitrate: the keyframe for 60 s is at 20 MiB, not near 30 MiB.
    const seek = steering.open(a, 20 * MiB);
    expect(steering.plan.window[0]?.from).to.equal(piece(20 * MiB));
    expect(steering.follows(seek)).to.equal(true);
  });

  it('a seek no request follows, with no read open, gives the torrent back to rarest-first when it lapses', async () => {
    const t = new FakeTorrent();
    let now = 0;
    const steering = steeringOf(t, () => now);
    const a = { offsetBytes: 0, lengthBytes: 40 * MiB };
    report(t, steering, a, 60, 80, true);
    expect(steering.plan.fillRest).to.equal(false);
    now = SEEK_PREDICTION_MS + 1;
    await new Promise((r) => setTimeout(r, SEEK_PREDICTION_MS + 100));
    expect(steering.plan.fillRest).to.equal(true);
    expect(t.calls).to.include('select 0-399 p0');
  });

  it('does nothing while nothing changes, and follows the read as it advances', () => {
    const t = new FakeTorrent();
    let now = 0;
    const steering = steeringOf(t, () => now);
    const read = steering.open(file, 0);
    t.calls = [];
    steering.steer();
    expect(t.calls).to.deep.equal([]);
    now = 1000;
    steering.advance(read, 4 * MiB);
    steering.steer();
    expect(t.calls.some((c) => c.startsWith(`critical ${String(piece(4 * MiB))}-`))).to.equal(true);
  });

  it('with a healthy buffer the rest fills rarest-first again', () => {
    const t = new FakeTorrent();
    const steering = steeringOf(t, () => 0);
    steering.open(file, 0);
    for (let i = 0; i < 100; i++) t.verified.add(i);
    t.calls = [];
    steering.steer();
    expect(t.calls).to.include('select 0-399 p0');
    expect(t.strategy).to.equal('rarest');
  });

  it('leaves a torrent without metadata, or destroyed, alone', () => {
    const t = new FakeTorrent();
    t.ready = false;
    const steering = steeringOf(t, () => 0);
    steering.open(file, 0);
    t.destroyed = true;
    t.ready = true;
    steering.steer();
    expect(t.calls).to.deep.equal([]);
  });
});

describe('steeredStream', () => {
  const source = (chunks: number[]) =>
    new ReadableStream<Uint8Array>({
      start(controller) {
        for (const n of chunks) controller.enqueue(new Uint8Array(n));
        controller.close();
      },
    });

  it('follows the bytes pulled and closes the read at the end', async () => {
    const t = new FakeTorrent();
    const steering = steeringOf(t, () => 0);
    const stream = steeredStream(() => source([MiB, MiB]), steering, file, 10 * MiB);
    expect(steering.openReads).to.equal(1);
    const reader = stream.getReader();
    let total = 0;
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      total += value.byteLength;
    }
    expect(total).to.equal(2 * MiB);
    expect(steering.openReads).to.equal(0);
  });

  it('closes the read when cancelled', async () => {
    const t = new FakeTorrent();
    const steering = steeringOf(t, () => 0);
    const stream = steeredStream(() => source([MiB, MiB]), steering, file, 0);
    const reader = stream.getReader();
    await reader.read();
    await reader.cancel();
    expect(steering.openReads).to.equal(0);
  });
});
