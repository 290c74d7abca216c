// Deterministic fixtures, generated at run time: the same name and size always give the
// same bytes (AES-128-CTR keystream keyed by the name), so every round and every run seeds
// the same torrent, and nothing large is committed. Cached under .cache/bench.
import { execFileSync } from 'node:child_process';
import { createCipheriv, createHash } from 'node:crypto';
import {
  closeSync,
  existsSync,
  mkdirSync,
  openSync,
  renameSync,
  statSync,
  writeSync,
} from 'node:fs';
import { join, resolve } from 'node:path';

export const BENCH_FIXTURE_DIR = resolve(import.meta.dirname, '../.cache/bench');
export const MiB = 1024 * 1024;

export interface BenchFixture {
  readonly name: string;
  readonly path: string;
  readonly lengthBytes: number;
}

/** Pseudo-random bytes, the same for the same name and length on every machine. */
export function deterministicFixture(
  lengthBytes: number,
  name = `bench-${label(lengthBytes)}.bin`,
): BenchFixture {
  mkdirSync(BENCH_FIXTURE_DIR, { recursive: true });
  const path = join(BENCH_FIXTURE_DIR, name);
  if (existsSync(path) && statSync(path).size === lengthBytes) return { name, path, lengthBytes };
  const key = createHash('sha256').update(name).digest();
  const cipher = createCipheriv('aes-128-ctr', key.subarray(0, 16), key.subarray(16, 32));
  const zeros = new Uint8Array(4 * MiB);
  const tmp = `${path}.tmp`;
  const fd = openSync(tmp, 'w');
  try {
    for (let written = 0; written < lengthBytes;) {
      const n = Math.min(zeros.length, lengthBytes - written);
      const chunk = cipher.update(zeros.subarray(0, n));
      writeSync(fd, chunk);
      written += n;
    }
  } finally {
    closeSync(fd);
  }
  renameSync(tmp, path);
  return { name, path, lengthBytes };
}

/** 16777216 → "16MiB". */
export function label(lengthBytes: number): string {
  return lengthBytes % MiB === 0 ? `${String(lengthBytes / MiB)}MiB` : `${String(lengthBytes)}B`;
}

/** The streaming fixture: 60 s of 640×360 H.264 at 3 Mb/s + AAC, moov first (~23 MB). */
export const STREAM_FIXTURE = {
  name: 'stream-3mbps.mp4',
  durationS: 60,
  /** Where the seek goes: far ahead of what the first seconds of playback fetch. */
  seekToS: 45,
} as const;

/** The stream fixture as the report names it. */
export const STREAM_LABEL = `${String(STREAM_FIXTURE.durationS)} s 3 Mb/s MP4`;

/** Made once with Debian's ffmpeg (synthetic picture with noise so the bitrate is real). */
export function streamFixture(): BenchFixture {
  return mp4Fixture(STREAM_FIXTURE.name, STREAM_FIXTURE.durationS, 'testsrc2', 440);
}

/**
 * The overlay section's playlist: two short clips, each the torrent of its own, encoded as the
 * streaming fixture is (3 Mb/s, moov first), with another picture and tone each (~2 MB).
 */
export const PLAYLIST_TRACKS = [
  { name: 'track-1-5s.mp4', durationS: 5, source: 'testsrc2', toneHz: 440 },
  { name: 'track-2-5s.mp4', durationS: 5, source: 'testsrc', toneHz: 660 },
] as const;

export function playlistFixtures(): [BenchFixture, BenchFixture] {
  const [a, b] = PLAYLIST_TRACKS.map((t) => mp4Fixture(t.name, t.durationS, t.source, t.toneHz));
  if (!a || !b) throw new Error('two tracks expected');
  return [a, b];
}

/** A 640×360 H.264/AAC MP4 at 3 Mb/s, moov first, made once with Debian's ffmpeg. */
function mp4Fixture(name: string, durationS: number, source: string, toneHz: number): BenchFixture {
  mkdirSync(BENCH_FIXTURE_DIR, { recursive: true });
  const path = join(BENCH_FIXTURE_DIR, name);
  if (!existsSync(path)) {
    const tmp = join(BENCH_FIXTURE_DIR, `tmp-${name}`);
    execFileSync('ffmpeg', [
      ...['-v', 'error', '-y'],
      ...['-f', 'lavfi', '-i', `${source}=size=640x360:rate=25`],
      ...['-f', 'lavfi', '-i', `sine=frequency=${String(toneHz)}:sample_rate=44100`],
      ...['-t', String(durationS), '-vf', 'noise=alls=25:allf=t'],
      ...['-c:v', 'libx264', '-preset', 'ultrafast', '-pix_fmt', 'yuv420p', '-g', '50'],
      ...['-b:v', '3M', '-maxrate', '3M', '-bufsize', '3M'],
      ...['-c:a', 'aac', '-b:a', '128k', '-movflags', '+faststart', tmp],
    ]);
    renameSync(tmp, path);
  }
  return { name, path, lengthBytes: statSync(path).size };
}
