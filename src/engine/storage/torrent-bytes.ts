/**
 * A torrent's bytes read from the files it was made of (the user's picked files): the same
 * reads on the page or in the pack worker (pack-worker.ts), which is given the files and
 * reads them there, off the page's main thread.
 */
import { EngineError } from '../types.ts';

/** Where one file sits in the torrent's bytes. */
export interface FileSpan {
  readonly offsetBytes: number;
  readonly lengthBytes: number;
}

/** The files of a torrent, in its order, beside where each sits (a worker can be sent it). */
export interface TorrentFiles {
  readonly spans: readonly FileSpan[];
  readonly blobs: readonly Blob[];
}

/** Bytes `[startBytes, endBytes)` of the torrent, read from its files. */
export async function readTorrentBytes(
  { spans, blobs }: TorrentFiles,
  startBytes: number,
  endBytes: number,
): Promise<Uint8Array<ArrayBuffer>> {
  const parts: Promise<ArrayBuffer>[] = [];
  spans.forEach((file, i) => {
    const from = Math.max(startBytes, file.offsetBytes);
    const to = Math.min(endBytes, file.offsetBytes + file.lengthBytes);
    const blob = blobs[i];
    if (to > from && blob) {
      parts.push(blob.slice(from - file.offsetBytes, to - file.offsetBytes).arrayBuffer());
    }
  });
  const buffers = await Promise.all(parts);
  const single = buffers.length === 1 ? buffers[0] : undefined;
  if (single?.byteLength === endBytes - startBytes) return new Uint8Array(single);
  const out = new Uint8Array(endBytes - startBytes);
  let at = 0;
  for (const buffer of buffers) {
    out.set(new Uint8Array(buffer), at);
    at += buffer.byteLength;
  }
  if (at !== out.length) throw new EngineError('A shared file changed or could not be read.');
  return out;
}
