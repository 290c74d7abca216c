// Deterministic fixtures, generated at run time: the same name and size always give the
// same bytes (AES-128-CTR keystream keyed by the name), so every round and every run seeds
// the same torrent, and nothing large is committed. Cached under .cache/bench.
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
