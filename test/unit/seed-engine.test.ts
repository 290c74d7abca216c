import { expect, waitUntil } from '@open-wc/testing';
import { storeRegistry } from '../../src/engine/storage/store-registry.ts';
import { ControlledBackend } from './support/backend.ts';
import type { Notice } from '../../src/engine/types.ts';
import { ShoalEngine } from '../../src/engine/engine.ts';
import { countPieces } from '../../src/engine/policy/bitfield.ts';

const KiB = 1024;

function randomBytes(length: number): Uint8Array<ArrayBuffer> {
  const bytes = new Uint8Array(length);
  for (let at = 0; at < length; at += 65536) crypto.getRandomValues(bytes.subarray(at, at + 65536));
  return bytes;
}

async function readAll(stream: ReadableStream<Uint8Array>): Promise<Uint8Array> {
  return new Uint8Array(await new Response(stream).arrayBuffer());
}

describe('engine: sharing picked files', () => {
  let engine: ShoalEngine;
  const notices: Notice[] = [];
  const seeded: string[] = [];
  beforeEach(() => {
    engine = new ShoalEngine({ announce: [], iceServers: [], maxConns: 10 });
    notices.length = 0;
    engine.on('notice', (notice) => notices.push(notice));
  });
  afterEach(async () => {
    await engine.destroy();
    for (const infoHash of seeded.splice(0)) await storeRegistry.destroyFor(infoHash);
  });

  it('is seeding as soon as the files are hashed, serves their bytes, and keeps every piece once copied', async () => {
    const bytes = randomBytes(700 * KiB + 3);
    const snapshot = await engine.seed([new File([bytes], 'song.flac')]);
    seeded.push(snapshot.infoHash);
    expect(snapshot.state).to.equal('seeding');
    expect(snapshot.magnetURI).to.contain(`btih:${snapshot.infoHash}`);
    expect(snapshot.lengthBytes).to.equal(bytes.length);
    expect(await readAll(engine.readFile(snapshot.infoHash, 'song.flac').stream())).to.deep.equal(
      bytes,
    );
    await waitUntil(() => engine.persisted(snapshot.infoHash)?.unfinishedCopy === undefined);
    const kept = engine.persisted(snapshot.infoHash);
    const pieces = Math.ceil(bytes.length / (16 * KiB));
    expect(countPieces(kept?.bitfield ?? new Uint8Array())).to.equal(pieces);
    expect((await storeRegistry.storedPieces(snapshot.infoHash)).size).to.equal(pieces);
  });

  it('with a full disk it keeps sharing from the files, says the copy stopped, and keeps no piece it does not have', async () => {
    // Writes that fail as a full disk fails them.
    const backend = new ControlledBackend();
    await engine.destroy();
    engine = new ShoalEngine({
      announce: [],
      iceServers: [],
      maxConns: 10,
      storeBackend: backend,
    });
    engine.on('notice', (notice) => notices.push(notice));
    backend.full = true;
    const restore = () => {
      backend.full = false;
    };
    try {
      const bytes = randomBytes(200 * KiB);
      const snapshot = await engine.seed([new File([bytes], 'photo.jpg')]);
      seeded.push(snapshot.infoHash);
      await waitUntil(() => notices.length > 0);
      expect(notices[0]?.message).to.contain(
        'photo.jpg: Not copied to this device: the browser storage for this site is full',
      );
      const now = engine.snapshots()[0];
      expect(now?.state).to.equal('seeding');
      expect(now?.warning).to.contain('Free space, then pause and resume it');
      expect(await readAll(engine.readFile(snapshot.infoHash, 'photo.jpg').stream())).to.deep.equal(
        bytes,
      );
      const kept = engine.persisted(snapshot.infoHash);
      expect(kept?.unfinishedCopy).to.deep.equal({ pieceCount: 13 });
      expect(countPieces(kept?.bitfield ?? new Uint8Array([1]))).to.equal(0);
    } finally {
      restore();
    }
  });

  it('says so when the files are empty', async () => {
    const err = await engine.seed([new File([], 'empty.txt')]).catch((e: unknown) => e);
    expect(String(err)).to.contain('Nothing to share: the files you chose are empty.');
  });
});
