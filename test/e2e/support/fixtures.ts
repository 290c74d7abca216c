import { createHash, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

export const FIXTURE_DIR = resolve(import.meta.dirname, '../../../.cache/e2e');

export interface Fixture {
  readonly name: string;
  readonly path: string;
  readonly sha256: string;
  readonly lengthBytes: number;
}

export const sha256 = (data: Uint8Array): string => createHash('sha256').update(data).digest('hex');

/** A file of random bytes (new each run, so no test passes on stale data). */
export function randomFixture(name: string, lengthBytes: number): Fixture {
  mkdirSync(FIXTURE_DIR, { recursive: true });
  const path = join(FIXTURE_DIR, name);
  const data = randomBytes(lengthBytes);
  writeFileSync(path, data);
  return { name, path, sha256: sha256(data), lengthBytes };
}

export function fileSha256(path: string): string {
  if (!existsSync(path)) throw new Error(`${path} does not exist`);
  return sha256(readFileSync(path));
}
