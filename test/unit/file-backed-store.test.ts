import { expect, waitUntil } from '@open-wc/testing';
import parseTorrent from 'parse-torrent';
import { FileBackedStore, SeedCopy } from '../../src/engine/storage/file-backed-store.ts';
import type { ReadAheadOptions } from '../../src/engine/storage/read-ahead.ts';
import { OpfsChunkStore, StorageFullError } from '../../src/engine/storage/opfs-chunk-store.ts';
import { storeRegistry } from '../../src/engine/storage/store-registry.ts';
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

/** Blocks of 64 KiB, one kept: a seed of more than 64 KiB does not fit. */
const SMALL_BLOCKS = { blockBytes: 64 * KiB, keepBlocks: 1, idleMs: 60_000 };

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
  function storeOf(
    pieceBytes: number,
    length: number,
    copy: SeedCopy,
    readAhead?: ReadAheadOptions,
    backend?: ControlledBackend,
  ): FileBackedStore {
    return new FileBackedStore(pieceBytes, {
      length,
      torrent: { infoHash },
      seedCopy: copy,
      ...(readAhead ? { readAhead } : {}),
      ...(backend ? { backend } : {}),
    });
  }
  afterEach(async () => {
    await storeRegistry.destroyFor(infoHash);
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

  it('reads and copies the picked files in the pack worker: the page never reads them', async () => {
    const bytes = randomBytes(200 * KiB + 5);
    let pageReads = 0;
    class PickedFile extends File {
      override slice(start?: number, end?: number, type?: string): Blob {
        pageReads++;
        return super.slice(start, end, type);
      }
    }
    const files = seedFilesOf([new PickedFile([bytes], 'clip.bin')]);
    const pieceBytes = files.layout.pieceLengthBytes;
    const copy = new SeedCopy(files);
    const store = storeOf(pieceBytes, bytes.length, copy, SMALL_BLOCKS);
    const piece = (index: number) =>
      call<Uint8Array>((cb) => {
        store.get(index, null, cb);
      });
    // Out of order, as a peer asks: blocks read, read again and copied.
    const last = files.layout.pieceCount - 1;
    for (const index of [last, 0, last, 1])
      expect(await piece(index)).to.deep.equal(
        bytes.slice(index * pieceBytes, Math.min(bytes.length, (index + 1) * pieceBytes)),
      );
    await store.copying;
    expect(copy.done).to.equal(true);
    expect((await opfsPieces(infoHash)).length).to.equal(files.layout.pieceCount);
    expect(pageReads).to.equal(0);
    await call((cb) => {
      store.close(cb);
    });
  });

  /**
   * A seed's store read in blocks of 64 KiB, one kept (so that it does not fit), whose copy
   * never starts: only reads copy.
   */
  function readCopyingStore(file: File, backend?: ControlledBackend) {
    const files = seedFilesOf([file]);
    const pieceBytes = files.layout.pieceLengthBytes;
    const copy = new SeedCopy(files, () => undefined, { deferred: true });
    const store = storeOf(pieceBytes, file.size, copy, SMALL_BLOCKS, backend);
    const get = (index: number) =>
      call<Uint8Array>((cb) => {
        store.get(index, null, cb);
      });
    return { store, copy, get, pieceBytes, perBlock: (64 * KiB) / pieceBytes };
  }

  it('copies a block it has to read from the files again, and reads those pieces from OPFS after', async () => {
    const bytes = randomBytes(3 * 64 * KiB + 5);
    const backend = new ControlledBackend();
    const reads = backend.fileReads;
    const { store, copy, get, pieceBytes, perBlock } = readCopyingStore(
      new File([bytes], 'clip.bin'),
      backend,
    );
    const pieceAt = (index: number) => bytes.slice(index * pieceBytes, (index + 1) * pieceBytes);
    // A peer's random order: block 0, block 1 (block 0 leaves memory), block 0 again.
    expect(await get(1)).to.deep.equal(pieceAt(1));
    expect(await get(perBlock + 1)).to.deep.equal(pieceAt(perBlock + 1));
    expect(copy.copiedCount).to.equal(0);
    expect(await get(2)).to.deep.equal(pieceAt(2));
    await waitUntil(() => copy.copiedCount === perBlock, 'the block read again is copied');
    expect((await opfsPieces(infoHash)).length).to.equal(perBlock);
    expect(reads).to.deep.equal([0, 64 * KiB, 0]);
    // Block 1 then 0 once more: block 0 comes from OPFS, not a third read of the files.
    expect(await get(perBlock + 2)).to.deep.equal(pieceAt(perBlock + 2));
    const readsBefore = reads.length;
    expect(await get(3)).to.deep.equal(pieceAt(3));
    expect(reads.length).to.equal(readsBefore);
    await call((cb) => {
      store.close(cb);
    });
  });

  it('copies a block a reader jumped to, and not the blocks a reader moving forward reads', async () => {
    const bytes = randomBytes(4 * 64 * KiB);
    const { store, copy, get, pieceBytes, perBlock } = readCopyingStore(
      new File([bytes], 'clip.bin'),
    );
    // A seek to block 2, then playing on into block 3.
    await get(2 * perBlock);
    await get(3 * perBlock);
    await waitUntil(() => copy.copiedCount === perBlock, 'the block jumped to is copied');
    // Whatever else was going to be copied has landed by the time a write after it has.
    await defaultBackend().write(infoHash, 0, bytes.slice(0, pieceBytes));
    expect(await opfsPieces(infoHash)).to.deep.equal(
      [0, ...Array.from({ length: perBlock }, (_, i) => 2 * perBlock + i)].map(String),
    );
    expect(copy.copiedCount).to.equal(perBlock);
    await call((cb) => {
      store.close(cb);
    });
  });

  it('reads a copied piece of a seed larger than its blocks kept from OPFS, and every piece from OPFS once a file changed', async () => {
    const bytes = randomBytes(200 * KiB + 5);
    // The browser reads the files in the pack worker: the backend is where a read can fail.
    const backend = new ControlledBackend();
    const files = seedFilesOf([new File([bytes], 'clip.bin')]);
    const pieceBytes = files.layout.pieceLengthBytes;
    const copy = new SeedCopy(files);
    // 4 blocks of 64 KiB, 1 kept: the seed does not fit.
    const store = storeOf(pieceBytes, bytes.length, copy, SMALL_BLOCKS, backend);
    await store.copying;
    expect(copy.done).to.equal(true);
    // OPFS is made to differ from the file, to tell which one answers: the background copy
    // read the file without keeping it, so OPFS does.
    await defaultBackend().write(infoHash, 3, new Uint8Array(pieceBytes).fill(7));
    const copied = await call<Uint8Array>((cb) => {
      store.get(3, null, cb);
    });
    expect(copied).to.deep.equal(new Uint8Array(pieceBytes).fill(7));
    // A seed that fits in the blocks kept (the default's 32 MiB) is read from the files.
    const fits = storeOf(pieceBytes, bytes.length, copy, undefined, backend);
    const fromFile = await call<Uint8Array>((cb) => {
      fits.get(3, null, cb);
    });
    expect(fromFile).to.deep.equal(bytes.slice(3 * pieceBytes, 4 * pieceBytes));
    await call((cb) => {
      fits.close(cb);
    });
    await call((cb) => {
      store.close(cb);
    });
    // The file can no longer be read (the torrent paused and resumed since, nothing of the
    // file in memory): the copy answers, this read and the ones after.
    backend.filesChanged = true;
    const again = storeOf(pieceBytes, bytes.length, copy, undefined, backend);
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
