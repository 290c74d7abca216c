import { expect, waitUntil } from '@open-wc/testing';
import { storeRegistry } from '../../src/engine/storage/store-registry.ts';
import type { PersistedTorrent } from '../../src/engine/types.ts';
import { ShoalEngine } from '../../src/engine/engine.ts';
import { countPieces } from '../../src/engine/policy/bitfield.ts';

const KiB = 1024;
/** The user's files in these tests: real file handles, kept in a folder of OPFS. */
const USER_DIR = 'test-user-files';

function randomBytes(length: number): Uint8Array<ArrayBuffer> {
  const bytes = new Uint8Array(length);
  for (let at = 0; at < length; at += 65536) crypto.getRandomValues(bytes.subarray(at, at + 65536));
  return bytes;
}

async function userDir(): Promise<FileSystemDirectoryHandle> {
  const root = await navigator.storage.getDirectory();
  return root.getDirectoryHandle(USER_DIR, { create: true });
}

async function writeUserFile(
  name: string,
  bytes: Uint8Array<ArrayBuffer>,
): Promise<FileSystemFileHandle> {
  const handle = await (await userDir()).getFileHandle(name, { create: true });
  const writable = await handle.createWritable();
  await writable.write(bytes);
  await writable.close();
  return handle;
}

async function readAll(stream: ReadableStream<Uint8Array>): Promise<Uint8Array> {
  return new Uint8Array(await new Response(stream).arrayBuffer());
}

const newEngine = (): ShoalEngine =>
  new ShoalEngine({ announce: [], iceServers: [], maxConns: 10 });

describe('engine: sharing files in place (File System Access handles)', () => {
  const engines: ShoalEngine[] = [];
  const seeded: string[] = [];
  const engine = (): ShoalEngine => {
    const made = newEngine();
    engines.push(made);
    return made;
  };
  afterEach(async () => {
    for (const made of engines.splice(0)) await made.destroy();
    for (const infoHash of seeded.splice(0)) await storeRegistry.destroyFor(infoHash);
    const root = await navigator.storage.getDirectory();
    await root.removeEntry(USER_DIR, { recursive: true }).catch(() => undefined);
  });

  /** Seeds a file in place, and returns what the engine keeps of it. */
  async function shareInPlace(
    name: string,
    bytes: Uint8Array<ArrayBuffer>,
  ): Promise<{ kept: PersistedTorrent; handle: FileSystemFileHandle; first: ShoalEngine }> {
    const handle = await writeUserFile(name, bytes);
    const first = engine();
    const snapshot = await first.seed([await handle.getFile()], [handle]);
    seeded.push(snapshot.infoHash);
    expect(snapshot.state).to.equal('seeding');
    expect(snapshot.inPlace).to.deep.equal({ needsAccess: false });
    const kept = first.persisted(snapshot.infoHash);
    if (!kept) throw new Error('nothing kept');
    return { kept, handle, first };
  }

  it('serves the files where they are, copies nothing, and keeps their handles with every piece', async () => {
    const bytes = randomBytes(300 * KiB + 7);
    const { kept, first } = await shareInPlace('walk.mp4', bytes);
    expect(await readAll(first.readFile(kept.infoHash, 'walk.mp4').stream())).to.deep.equal(bytes);
    expect(kept.linkedFiles?.length).to.equal(1);
    expect(kept.unfinishedCopy).to.equal(undefined);
    expect(countPieces(kept.bitfield ?? new Uint8Array())).to.equal(
      Math.ceil(bytes.length / (16 * KiB)),
    );
    // No copy is made in the background.
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect((await storeRegistry.storedPieces(kept.infoHash)).size).to.equal(0);
  });

  it('after a reload seeds from the same files again, still without a copy', async () => {
    const bytes = randomBytes(200 * KiB);
    const { kept, first } = await shareInPlace('photo.jpg', bytes);
    await first.destroy();
    engines.splice(engines.indexOf(first), 1);
    const again = engine();
    await again.restore(kept);
    await waitUntil(() => again.snapshots()[0]?.state === 'seeding');
    expect(again.snapshots()[0]?.inPlace).to.deep.equal({ needsAccess: false });
    expect(await readAll(again.readFile(kept.infoHash, 'photo.jpg').stream())).to.deep.equal(bytes);
    expect((await storeRegistry.storedPieces(kept.infoHash)).size).to.equal(0);
  });

  it('a file saved again with the same bytes is checked and still seeded', async () => {
    const bytes = randomBytes(100 * KiB);
    const { kept } = await shareInPlace('notes.txt', bytes);
    await new Promise((resolve) => setTimeout(resolve, 20));
    await writeUserFile('notes.txt', bytes);
    const again = engine();
    await again.restore(kept);
    await waitUntil(() => again.snapshots()[0]?.state === 'seeding');
    // The new modification time is kept, so the next start does not hash it again.
    const file = await (await userDir()).getFileHandle('notes.txt').then((h) => h.getFile());
    expect(file.lastModified).to.not.equal(kept.linkedFiles?.[0]?.lastModifiedMs);
    expect(again.persisted(kept.infoHash)?.linkedFiles?.[0]?.lastModifiedMs).to.equal(
      file.lastModified,
    );
  });

  it('a file changed since it was shared stops the seeding with a message, and serves nothing', async () => {
    const bytes = randomBytes(100 * KiB);
    const { kept } = await shareInPlace('draft.txt', bytes);
    const changed = bytes.slice();
    changed[50 * KiB] = (changed[50 * KiB] ?? 0) ^ 0xff;
    await writeUserFile('draft.txt', changed);
    const again = engine();
    await again.restore(kept);
    const now = again.snapshots()[0];
    expect(now?.state).to.equal('error');
    expect(now?.errorMessage).to.contain('"draft.txt" changed since you shared it');
    expect(() => again.readFile(kept.infoHash, 'draft.txt')).to.throw('resume the torrent first');
  });

  it('a file changed while the torrent was paused is checked when it is resumed', async () => {
    const bytes = randomBytes(100 * KiB);
    const { kept, first } = await shareInPlace('paused.txt', bytes);
    await first.pause(kept.infoHash);
    const changed = bytes.slice();
    changed[10] = (changed[10] ?? 0) ^ 0xff;
    await writeUserFile('paused.txt', changed);
    await first.resume(kept.infoHash);
    expect(first.snapshots()[0]?.state).to.equal('error');
    expect(first.snapshots()[0]?.errorMessage).to.contain(
      '"paused.txt" changed since you shared it',
    );
  });

  it('two resumes at once (a double click on Allow access) start it once', async () => {
    const { kept, handle } = await shareInPlace('twice.bin', randomBytes(64 * KiB));
    Object.defineProperty(handle, 'queryPermission', { value: () => Promise.resolve('prompt') });
    Object.defineProperty(handle, 'requestPermission', { value: () => Promise.resolve('granted') });
    const again = engine();
    await again.restore(kept);
    await Promise.all([again.resume(kept.infoHash), again.resume(kept.infoHash)]);
    await waitUntil(() => again.snapshots()[0]?.state === 'seeding');
    await new Promise((resolve) => setTimeout(resolve, 200));
    const now = again.snapshots();
    expect(now.length).to.equal(1);
    expect(now[0]?.state).to.equal('seeding');
    expect(now[0]?.errorMessage).to.equal(null);
  });

  it('a file moved or deleted says so', async () => {
    const { kept } = await shareInPlace('gone.bin', randomBytes(50 * KiB));
    await (await userDir()).removeEntry('gone.bin');
    const again = engine();
    await again.restore(kept);
    expect(again.snapshots()[0]?.errorMessage).to.contain('"gone.bin" was moved or deleted');
  });

  it('waits for the user to allow access again, and asks when resumed', async () => {
    const bytes = randomBytes(64 * KiB);
    const { kept, handle } = await shareInPlace('song.flac', bytes);
    // What Chromium answers after a restart until the user allows it (its prompt cannot
    // be shown in a headless test): the handle itself is real.
    let asked = 0;
    Object.defineProperty(handle, 'queryPermission', { value: () => Promise.resolve('prompt') });
    Object.defineProperty(handle, 'requestPermission', {
      value: () => {
        asked++;
        return Promise.resolve('granted');
      },
    });
    const again = engine();
    await again.restore(kept);
    const waiting = again.snapshots()[0];
    expect(waiting?.state).to.equal('paused');
    expect(waiting?.inPlace).to.deep.equal({ needsAccess: true });
    expect(waiting?.warning).to.contain('needs your permission again');
    // It is still kept as running: allowing access later starts it.
    expect(again.persisted(kept.infoHash)?.paused).to.equal(false);
    await again.resume(kept.infoHash);
    expect(asked).to.equal(1);
    await waitUntil(() => again.snapshots()[0]?.state === 'seeding');
    expect(again.snapshots()[0]?.inPlace).to.deep.equal({ needsAccess: false });
    expect(await readAll(again.readFile(kept.infoHash, 'song.flac').stream())).to.deep.equal(bytes);
  });
});
