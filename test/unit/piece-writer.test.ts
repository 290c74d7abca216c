import { expect } from '@open-wc/testing';
import { isStorageFull } from '../../src/engine/opfs-chunk-store.ts';
import { WorkerWriter, defaultWriter, errorOf } from '../../src/engine/piece-writer.ts';

const FOLDER = ['shoal-writer-test', 'pieces'];

async function folder(): Promise<FileSystemDirectoryHandle> {
  const root = await navigator.storage.getDirectory();
  return (await root.getDirectoryHandle(FOLDER[0] as string, { create: true })).getDirectoryHandle(
    FOLDER[1] as string,
    { create: true },
  );
}

async function readPiece(name: string): Promise<Uint8Array> {
  const file = await (await (await folder()).getFileHandle(name)).getFile();
  return new Uint8Array(await file.arrayBuffer());
}

async function names(): Promise<string[]> {
  const out: string[] = [];
  for await (const name of (await folder()).keys()) out.push(name);
  return out.sort();
}

const piece = (length: number, fill: number) => new Uint8Array(length).fill(fill);

describe('writing pieces off the main thread', () => {
  afterEach(async () => {
    const root = await navigator.storage.getDirectory();
    await root.removeEntry(FOLDER[0] as string, { recursive: true }).catch(() => undefined);
  });

  it('writes pieces in a worker, many at once, and a piece written again holds only its new bytes', async () => {
    const writer = defaultWriter();
    expect(writer).to.be.instanceOf(WorkerWriter);
    await Promise.all(
      Array.from({ length: 20 }, (_, i) => writer.write(FOLDER, String(i), piece(16384, i))),
    );
    expect(await names()).to.have.length(20);
    expect(await readPiece('7')).to.deep.equal(piece(16384, 7));
    await writer.write(FOLDER, '7', piece(100, 9));
    expect(await readPiece('7')).to.deep.equal(piece(100, 9));
  });

  it('writes into a folder removed and made again since its last write', async () => {
    const writer = defaultWriter();
    await writer.write(FOLDER, '0', piece(10, 1));
    const root = await navigator.storage.getDirectory();
    await root.removeEntry(FOLDER[0] as string, { recursive: true });
    await writer.write(FOLDER, '1', piece(10, 2));
    expect(await names()).to.deep.equal(['1']);
    expect(await readPiece('1')).to.deep.equal(piece(10, 2));
  });

  it('hands a failed write back as an error and leaves no file behind; a full disk reads as one', async () => {
    const writer = defaultWriter();
    const err = await writer.write(FOLDER, '..', piece(10, 1)).catch((e: unknown) => e);
    expect(err).to.be.instanceOf(Error);
    expect(await names()).to.deep.equal([]);
    expect(isStorageFull(errorOf({ name: 'QuotaExceededError', message: 'full' }))).to.equal(true);
  });

  it('writes from the page when its worker cannot start', async () => {
    const writer = new WorkerWriter(() => new Worker('/no-such-worker.js', { type: 'module' }));
    await Promise.all([
      writer.write(FOLDER, '3', piece(10, 3)),
      writer.write(FOLDER, '4', piece(10, 4)),
    ]);
    await writer.write(FOLDER, '5', piece(10, 5));
    expect(await names()).to.deep.equal(['3', '4', '5']);
    expect(await readPiece('4')).to.deep.equal(piece(10, 4));
  });
});
