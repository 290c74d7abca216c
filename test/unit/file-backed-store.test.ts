import { expect, waitUntil } from '@open-wc/testing';
import parseTorrent from 'parse-torrent';
import { FileBackedStore, SeedCopy } from '../../src/engine/storage/file-backed-store.ts';
import { OpfsChunkStore, StorageFullError } from '../../src/engine/storage/opfs-chunk-store.ts';
import { prepareSeed, seedFilesOf } from '../../src/engine/storage/seed-files.ts';
import { defaultBackend } from '../../src/engine/storage/pack-client.ts';
import { ControlledBackend, packPieces } from './support/backend.ts';

const KiB = 1024;

function randomBytes(length: number): Uint8Array<ArrayBuffer> {
  const bytes = new Uint8Array(length);
  for (let at = 0; at < length; at += 65536) crypto.getRandomValues(bytes.subarray(at, at + 65536));
  return bytes;
}

function call<T>(fn: (cb: (err: Error | null, value?: T) => void) => void): Promise<T | undefined> {
  return new Promise((resolve, reject) => {
    fn((err, value) => {
      if (err) reject(err);
      else resolve(value);
    });
  });
}

const hex = (bytes: ArrayBuffer): string =>
  [...new Uint8Array(bytes)].map((b) => b.toString(16).padStart(2, '0')).join('');

const opfsPieces = packPieces;

describe('seeding picked files: hashing', () => {
  it('hashes every piece, across file boundaries, into a .torrent the engine parses', async () => {
    const a = randomBytes(100 * KiB + 7);
    const b = randomBytes(60 * KiB);
    const files = [
      new File([a], 'a.bin'),
      Object.assign(new File([b], 'b.bin'), { fullPath: '/b.bin' }),
    ];
    const seed = await prepareSeed(files, ['ws://127.0.0.1:1']);
    const parsed = await parseTorrent(seed.torrentFile);
    expect(parsed.infoHash).to.equal(seed.infoHash);
    expect(parsed.length).to.equal(a.length + b.length);
    expect(parsed.pieceLength).to.equal(16 * KiB);
    // Two loose files: "2 files", not named after the first ("a.bin/a.bin").
    expect(parsed.files.map((f) => f.path)).to.deep.equal(['2 files/a.bin', '2 files/b.bin']);
    const all = new Uint8Array([...a, ...b]);
    const expected: string[] = [];
    for (let at = 0; at < all.length; at += 16 * KiB)
      expected.push(hex(await crypto.subtle.digest('SHA-1', all.slice(at, at + 16 * KiB))));
    expect(parsed.pieces).to.deep.equal(expected);
  });

  it('keeps a picked folder as the torrent name, and refuses empty files', async () => {
    const inFolder = (name: string) =>
      Object.assign(new File([randomBytes(3000)], name), { fullPath: `/holiday/${name}` });
    const seed = await prepareSeed([inFolder('1.jpg'), inFolder('2.jpg')], []);
    const parsed = await parseTorrent(seed.torrentFile);
    expect(parsed.name).to.equal('holiday');
    expect(parsed.files.map((f) => f.path)).to.deep.equal(['holiday/1.jpg', 'holiday/2.jpg']);
    expect(() => seedFilesOf([new File([], 'empty.txt')])).to.throw(/empty/);
  });
});

describe('FileBackedStore (picked files, then real OPFS)', () => {
  const infoHash = 'ab'.repeat(20);
  /** A seed's store over `copy`, as the engine makes one for a torrent of `length` bytes. */
  function storeOf(pieceBytes: number, length: number, copy: SeedCopy): FileBackedStore {
    return new FileBackedStore(pieceBytes, { length, torrent: { infoHash }, seedCopy: copy });
  }
  afterEach(async () => {
    await OpfsChunkStore.destroyFor(infoHash);
  });

  it('serves the picked files before the copy finishes, and OPFS once it has', async () => {
    const bytes = randomBytes(200 * KiB + 5);
    const files = seedFilesOf([new File([bytes], 'clip.bin')]);
    const pieceBytes = files.layout.pieceLengthBytes;
    const gate = new ControlledBackend();
    gate.hold();
    let changes = 0;
    const copy = new SeedCopy(files, () => {
      changes++;
    });
    const store = new FileBackedStore(pieceBytes, {
      length: bytes.length,
      torrent: { infoHash },
      seedCopy: copy,
      // So that the test can hold its writes.
      backend: gate,
    });
    try {
      // No piece has reached OPFS, and every read is already answered.
      const piece3 = await call<Uint8Array>((cb) => {
        store.get(3, null, cb);
      });
      expect(piece3).to.deep.equal(bytes.slice(3 * pieceBytes, 4 * pieceBytes));
      const last = files.layout.pieceCount - 1;
      const tail = await call<Uint8Array>((cb) => {
        store.get(last, { offset: 1, length: 4 }, cb);
      });
      expect(tail).to.deep.equal(bytes.slice(last * pieceBytes + 1, last * pieceBytes + 5));
      expect(copy.copiedCount).to.equal(0);
      expect(await opfsPieces(infoHash)).to.deep.equal([]);
    } finally {
      gate.letThrough();
    }
    await store.copying;
    expect(copy.done).to.equal(true);
    expect(copy.error).to.equal(null);
    expect(changes).to.be.greaterThan(0);
    expect((await opfsPieces(infoHash)).length).to.equal(files.layout.pieceCount);
    await call((cb) => {
      store.close(cb);
    });
  });

  it('reads the picked files while it can, and what was copied from OPFS once a file changed', async () => {
    const bytes = randomBytes(200 * KiB + 5);
    /** A picked file the user then changed: the browser refuses to read it any more. */
    let changed = false;
    class PickedFile extends File {
      override slice(start?: number, end?: number, type?: string): Blob {
        const part = super.slice(start, end, type);
        return changed
          ? new (class extends Blob {
              override arrayBuffer(): Promise<ArrayBuffer> {
                return Promise.reject(new DOMException('The file changed', 'NotReadableError'));
              }
            })([part])
          : part;
      }
    }
    const files = seedFilesOf([new PickedFile([bytes], 'clip.bin')]);
    const pieceBytes = files.layout.pieceLengthBytes;
    const copy = new SeedCopy(files);
    const store = storeOf(pieceBytes, bytes.length, copy);
    await store.copying;
    expect(copy.done).to.equal(true);
    // What is in OPFS now differs from the file (as a changed file would): the file is read.
    await defaultBackend().write(infoHash, 3, new Uint8Array(pieceBytes).fill(7));
    const fromFile = await call<Uint8Array>((cb) => {
      store.get(3, null, cb);
    });
    expect(fromFile).to.deep.equal(bytes.slice(3 * pieceBytes, 4 * pieceBytes));
    await call((cb) => {
      store.close(cb);
    });
    // The file can no longer be read (the torrent paused and resumed since, nothing of the
    // file in memory): the copy answers, this read and the ones after.
    changed = true;
    const again = storeOf(pieceBytes, bytes.length, copy);
    await again.copying;
    const fromOpfs = await call<Uint8Array>((cb) => {
      again.get(3, null, cb);
    });
    expect(fromOpfs).to.deep.equal(new Uint8Array(pieceBytes).fill(7));
    const other = await call<Uint8Array>((cb) => {
      again.get(1, { offset: 2, length: 10 }, cb);
    });
    expect(other).to.deep.equal(bytes.slice(pieceBytes + 2, pieceBytes + 12));
    await call((cb) => {
      again.close(cb);
    });
  });

  it('copies only what an earlier page did not, and a store opened after a reload has it all', async () => {
    const bytes = randomBytes(64 * KiB);
    const files = seedFilesOf([new File([bytes], 'x.bin')]);
    const pieceBytes = files.layout.pieceLengthBytes;
    const earlier = new OpfsChunkStore(pieceBytes, { length: bytes.length, torrent: { infoHash } });
    await call((cb) => {
      earlier.put(1, bytes.slice(pieceBytes, 2 * pieceBytes), cb);
    });
    const copy = new SeedCopy(files);
    const store = storeOf(pieceBytes, bytes.length, copy);
    await store.copying;
    expect(copy.copiedCount).to.equal(files.layout.pieceCount);
    await call((cb) => {
      store.close(cb);
    });
    const reloaded = new OpfsChunkStore(pieceBytes, {
      length: bytes.length,
      torrent: { infoHash },
    });
    for (let i = 0; i < files.layout.pieceCount; i++) {
      const piece = await call<Uint8Array>((cb) => {
        reloaded.get(i, null, cb);
      });
      expect(piece).to.deep.equal(bytes.slice(i * pieceBytes, (i + 1) * pieceBytes));
    }
  });

  it('a full disk stops the copy with a storage-full error, keeps serving the files, and leaves no piece behind', async () => {
    const bytes = randomBytes(64 * KiB);
    const files = seedFilesOf([new File([bytes], 'y.bin')]);
    const backend = new ControlledBackend();
    backend.full = true;
    const restore = () => {
      backend.full = false;
    };
    const copy = new SeedCopy(files);
    const store = new FileBackedStore(files.layout.pieceLengthBytes, {
      length: bytes.length,
      torrent: { infoHash },
      seedCopy: copy,
      // So that the test can fail its writes.
      backend,
    });
    try {
      await store.copying;
      expect(copy.error).to.be.instanceOf(StorageFullError);
      expect(copy.copiedCount).to.equal(0);
      const piece = await call<Uint8Array>((cb) => {
        store.get(0, null, cb);
      });
      expect(piece).to.deep.equal(bytes.slice(0, files.layout.pieceLengthBytes));
      // A piece fetched from a peer fails the same way, and is not kept.
      const err = await call((cb) => {
        store.put(2, new Uint8Array(files.layout.pieceLengthBytes), cb);
      }).catch((e: unknown) => e);
      expect(err).to.be.instanceOf(StorageFullError);
    } finally {
      restore();
    }
    expect(await opfsPieces(infoHash)).to.deep.equal([]);
    await waitUntil(() => copy.error !== null);
    await call((cb) => {
      store.close(cb);
    });
  });
});
