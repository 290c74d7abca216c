import { expect } from '@open-wc/testing';
import { OpfsChunkStore } from '../../src/engine/storage/opfs-chunk-store.ts';
import { storeRegistry } from '../../src/engine/storage/store-registry.ts';
import { ControlledBackend, packPieces } from './support/backend.ts';

const infoHash = (n: number) => n.toString(16).padStart(40, 'a');

function call<T>(fn: (cb: (err: Error | null, value?: T) => void) => void): Promise<T | undefined> {
  return new Promise((resolve, reject) => {
    fn((err, value) => {
      if (err) reject(err);
      else resolve(value);
    });
  });
}

describe('OpfsChunkStore (real OPFS)', () => {
  const bytes = (length: number, fill: number) => new Uint8Array(length).fill(fill);

  it('stores pieces under the info-hash and reads them back, whole or in part', async () => {
    const store = new OpfsChunkStore(4, { length: 10, torrent: { infoHash: infoHash(1) } });
    await call((cb) => {
      store.put(0, bytes(4, 1), cb);
    });
    await call((cb) => {
      store.put(2, bytes(2, 3), cb);
    });
    expect([
      ...((await call<Uint8Array>((cb) => {
        store.get(0, null, cb);
      })) ?? []),
    ]).to.deep.equal([1, 1, 1, 1]);
    expect([
      ...((await call<Uint8Array>((cb) => {
        store.get(2, { offset: 1, length: 1 }, cb);
      })) ?? []),
    ]).to.deep.equal([3]);
    await store.flush();
    expect(await packPieces(infoHash(1))).to.deep.equal(['0', '2']);
    // Both in the torrent's one data file, in the order they came.
    const root = await navigator.storage.getDirectory();
    const dir = await (
      await root.getDirectoryHandle('shoal-packs')
    ).getDirectoryHandle(infoHash(1));
    expect((await (await dir.getFileHandle('data')).getFile()).size).to.equal(6);
    await call((cb) => {
      store.destroy(cb);
    });
  });

  it('reads a piece it just wrote from memory (a copy each time), and older ones from disk', async () => {
    const MiB = 1024 * 1024;
    const backend = new ControlledBackend();
    const store = new OpfsChunkStore(MiB, {
      length: 6 * MiB,
      torrent: { infoHash: infoHash(7) },
      backend,
    });
    try {
      for (let i = 0; i < 6; i++) {
        await call((cb) => {
          store.put(i, bytes(MiB, i + 1), cb);
        });
      }
      await store.flush();
      const read = (i: number, opts: { offset: number; length: number } | null = null) =>
        call<Uint8Array>((cb) => {
          store.get(i, opts, cb);
        });
      const last = await read(5);
      expect(last?.[0]).to.equal(6);
      if (last) last[0] = 99;
      expect((await read(5))?.[0]).to.equal(6);
      expect([...((await read(4, { offset: 10, length: 2 })) ?? [])]).to.deep.equal([5, 5]);
      expect(backend.reads).to.equal(0);
      // Beyond 4 MiB the oldest went back to disk, and still read right, whole or in part.
      expect((await read(0))?.[MiB - 1]).to.equal(1);
      expect([...((await read(1, { offset: MiB - 2, length: 2 })) ?? [])]).to.deep.equal([2, 2]);
      expect(backend.reads).to.equal(2);
    } finally {
      await call((cb) => {
        store.destroy(cb);
      });
    }
  });

  it('reads a piece from disk once for the blocks a peer asks of it at once', async () => {
    const KiB = 1024;
    const backend = new ControlledBackend();
    const store = new OpfsChunkStore(64 * KiB, {
      length: 128 * KiB,
      torrent: { infoHash: infoHash(8) },
      backend,
    });
    try {
      for (let i = 0; i < 2; i++)
        await call((cb) => {
          store.put(i, bytes(64 * KiB, i + 1), cb);
        });
      await store.flush();
      // Out of memory: the recent pieces are what a reload would not have.
      const reopened = new OpfsChunkStore(64 * KiB, {
        length: 128 * KiB,
        torrent: { infoHash: infoHash(8) },
        backend,
      });
      const blocks = await Promise.all(
        [0, 1, 2, 3].map((b) =>
          call<Uint8Array>((cb) => {
            reopened.get(1, { offset: b * 16 * KiB, length: 16 * KiB }, cb);
          }),
        ),
      );
      expect(backend.reads).to.equal(1);
      for (const block of blocks) expect(block?.every((v) => v === 2)).to.equal(true);
      expect(blocks.map((b) => b?.byteLength)).to.deep.equal([
        16 * KiB,
        16 * KiB,
        16 * KiB,
        16 * KiB,
      ]);
    } finally {
      await call((cb) => {
        store.destroy(cb);
      });
    }
  });

  it('fails at once for a piece it never stored', async () => {
    const store = new OpfsChunkStore(4, { length: 8, torrent: { infoHash: infoHash(2) } });
    let error: Error | null = null;
    await call((cb) => {
      store.get(1, null, cb);
    }).catch((err: unknown) => {
      error = err as Error;
    });
    expect(error).to.be.instanceOf(Error);
    await call((cb) => {
      store.destroy(cb);
    });
  });

  it('refuses a piece of the wrong length', async () => {
    const store = new OpfsChunkStore(4, { length: 10, torrent: { infoHash: infoHash(3) } });
    const err = await call((cb) => {
      store.put(2, bytes(4, 0), cb);
    }).catch((e: unknown) => e);
    expect(String(err)).to.contain('Chunk length must be 2');
    await call((cb) => {
      store.destroy(cb);
    });
  });

  it('finds what an earlier store of the same torrent wrote (a reload)', async () => {
    const first = new OpfsChunkStore(4, { length: 8, torrent: { infoHash: infoHash(4) } });
    await call((cb) => {
      first.put(1, bytes(4, 9), cb);
    });
    await call((cb) => {
      first.close(cb);
    });
    const second = new OpfsChunkStore(4, { length: 8, torrent: { infoHash: infoHash(4) } });
    expect([
      ...((await call<Uint8Array>((cb) => {
        second.get(1, null, cb);
      })) ?? []),
    ]).to.deep.equal([9, 9, 9, 9]);
    await call((cb) => {
      second.destroy(cb);
    });
  });

  it('deletes everything of a torrent on destroy, and nothing of another', async () => {
    const a = new OpfsChunkStore(4, { length: 4, torrent: { infoHash: infoHash(5) } });
    const b = new OpfsChunkStore(4, { length: 4, torrent: { infoHash: infoHash(6) } });
    await call((cb) => {
      a.put(0, bytes(4, 1), cb);
    });
    await call((cb) => {
      b.put(0, bytes(4, 2), cb);
    });
    await call((cb) => {
      a.destroy(cb);
    });
    const pieces = await (await navigator.storage.getDirectory()).getDirectoryHandle('shoal-packs');
    const names: string[] = [];
    for await (const name of pieces.keys()) names.push(name);
    expect(names).to.include(infoHash(6)).and.not.include(infoHash(5));
    await storeRegistry.destroyFor(infoHash(6));
  });

  it('writes behind: a put answers before its piece is on disk, and nothing unwritten counts as kept', async () => {
    const hash = infoHash(8);
    const store = new OpfsChunkStore(4, { length: 8, torrent: { infoHash: hash } });
    const heard: (Error | null)[] = [];
    const unwatch = storeRegistry.watchWrites(hash, (err) => heard.push(err));
    try {
      await call((cb) => {
        store.put(1, bytes(4, 7), cb);
      });
      // Answered, readable, and listed as not kept until it lands.
      expect([...storeRegistry.unwritten(hash)]).to.deep.equal([1]);
      expect([
        ...((await call<Uint8Array>((cb) => {
          store.get(1, null, cb);
        })) ?? []),
      ]).to.deep.equal([7, 7, 7, 7]);
      await store.flush();
      expect([...storeRegistry.unwritten(hash)]).to.deep.equal([]);
      expect(heard).to.deep.equal([null]);
      expect(await packPieces(hash)).to.deep.equal(['1']);
    } finally {
      unwatch();
      await call((cb) => {
        store.destroy(cb);
      });
    }
  });

  it('tells its watcher while writes land, not only once they catch up', async () => {
    const hash = infoHash(11);
    // The writes land one every 15 ms, over 600 ms.
    const slow = new ControlledBackend();
    slow.delayOf = (index) => 15 * (index + 1);
    const store = new OpfsChunkStore(4, {
      length: 160,
      torrent: { infoHash: hash },
      backend: slow,
    });
    const unwrittenWhenTold: number[] = [];
    const unwatch = storeRegistry.watchWrites(hash, (err) => {
      if (err === null) unwrittenWhenTold.push(storeRegistry.unwritten(hash).size);
    });
    try {
      for (let i = 0; i < 40; i++)
        await call((cb) => {
          store.put(i, bytes(4, i), cb);
        });
      await store.flush();
      // Told once while most pieces were still to be written, and once at the end.
      expect(unwrittenWhenTold.length).to.be.greaterThan(1);
      expect(unwrittenWhenTold[0]).to.be.greaterThan(0);
      expect(unwrittenWhenTold.at(-1)).to.equal(0);
    } finally {
      unwatch();
      await call((cb) => {
        store.destroy(cb);
      });
    }
  });

  it('a close waits for the pieces put before it', async () => {
    const hash = infoHash(9);
    const store = new OpfsChunkStore(4, { length: 16, torrent: { infoHash: hash } });
    for (let i = 0; i < 4; i++) store.put(i, bytes(4, i), () => undefined);
    expect(storeRegistry.unwritten(hash).size).to.be.greaterThan(0);
    await call((cb) => {
      store.close(cb);
    });
    expect(await packPieces(hash)).to.deep.equal(['0', '1', '2', '3']);
    // All written: a pause that counted them missing when it began can count them kept now.
    expect([...storeRegistry.unwritten(hash)]).to.deep.equal([]);
    await storeRegistry.destroyFor(hash);
  });

  it('a write behind that fails for space is reported, fails every later put, and leaves nothing on disk', async () => {
    const hash = infoHash(10);
    const full = new ControlledBackend();
    full.full = true;
    const store = new OpfsChunkStore(4, { length: 8, torrent: { infoHash: hash }, backend: full });
    const heard: (Error | null)[] = [];
    const unwatch = storeRegistry.watchWrites(hash, (err) => heard.push(err));
    try {
      await call((cb) => {
        store.put(0, bytes(4, 5), cb);
      });
      await store.flush();
      expect(heard).to.have.length(1);
      expect(heard[0]?.name).to.equal('StorageFullError');
      // Still readable while the store lives, never counted as kept, and not on disk.
      const kept = await call<Uint8Array>((cb) => {
        store.get(0, null, cb);
      });
      expect(kept?.[0]).to.equal(5);
      expect([...storeRegistry.unwritten(hash)]).to.deep.equal([0]);
      expect(await packPieces(hash)).to.deep.equal([]);
      const later = await call((cb) => {
        store.put(1, bytes(4, 6), cb);
      }).catch((e: unknown) => e);
      expect((later as Error).name).to.equal('StorageFullError');
      // Closed, it still says which piece never reached the disk, until the next store opens.
      await call((cb) => {
        store.close(cb);
      });
      expect([...storeRegistry.unwritten(hash)]).to.deep.equal([0]);
      const next = new OpfsChunkStore(4, { length: 8, torrent: { infoHash: hash } });
      expect([...storeRegistry.unwritten(hash)]).to.deep.equal([]);
      await call((cb) => {
        next.close(cb);
      });
    } finally {
      full.full = false;
      unwatch();
      await call((cb) => {
        store.destroy(cb);
      });
    }
  });

  it('rejects a store without an info-hash (never keyed by a hostile name)', () => {
    expect(() => new OpfsChunkStore(4, { length: 4 })).to.throw(/info-hash/);
  });
});
