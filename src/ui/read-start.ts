/**
 * The first bytes of a torrent's file, or of a file from disk, as text: what the subtitles
 * and the text preview read. Never more than asked is read (a Range request, and the body
 * cancelled past the limit, in case a server answers with the whole file), so a file named
 * .srt or .txt that is really gigabytes costs no more than its head.
 */

export interface StartBytes {
  readonly bytes: Uint8Array;
  /** The whole file's size, where the answer says it. */
  readonly totalBytes: number | null;
}

/** Up to `maxBytes` from the start of `url` (a /stream/ address). */
export async function readStart(url: string, maxBytes: number): Promise<StartBytes> {
  const response = await fetch(url, { headers: { Range: `bytes=0-${String(maxBytes - 1)}` } });
  // No byte 0 to give: the file is empty (Content-Range `bytes */0`).
  if (response.status === 416 && /\*\/0$/.test(response.headers.get('Content-Range') ?? '')) {
    return { bytes: new Uint8Array(0), totalBytes: 0 };
  }
  if (!response.ok) {
    throw new Error((await response.text()) || `HTTP ${String(response.status)}`);
  }
  const total =
    /\/(\d+)$/.exec(response.headers.get('Content-Range') ?? '')?.[1] ??
    (response.status === 200 ? response.headers.get('Content-Length') : null);
  const bytes = new Uint8Array(maxBytes);
  let length = 0;
  const reader = response.body?.getReader();
  while (reader && length < maxBytes) {
    const { done, value } = await reader.read();
    if (done) break;
    const take = value.subarray(0, maxBytes - length);
    bytes.set(take, length);
    length += take.length;
  }
  await reader?.cancel().catch(() => undefined);
  return { bytes: bytes.slice(0, length), totalBytes: total === null ? null : Number(total) };
}

/** Up to `maxBytes` from the start of a file from disk. */
export async function readFileStart(file: Blob, maxBytes: number): Promise<StartBytes> {
  const buffer = await file.slice(0, maxBytes).arrayBuffer();
  return { bytes: new Uint8Array(buffer), totalBytes: file.size };
}

/** Whether the bytes read are the whole file. */
export const isWhole = (start: StartBytes): boolean =>
  start.totalBytes !== null && start.bytes.length >= start.totalBytes;

/**
 * Bytes as text: UTF-16 when a byte-order mark says so, UTF-8 when they are valid UTF-8, else
 * Windows-1252, which is what most older subtitle and text files are written in and which
 * reads any byte. Of a file read only in part (`whole` false), a character cut at the end of
 * what was read does not count against UTF-8; of a whole file it does ("café" in
 * Windows-1252 ends in a byte that starts a UTF-8 sequence).
 */
export function decodeText(bytes: Uint8Array, whole: boolean): string {
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return new TextDecoder('utf-16le').decode(bytes);
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return new TextDecoder('utf-16be').decode(bytes);
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes, { stream: !whole });
  } catch {
    return new TextDecoder('windows-1252').decode(bytes);
  }
}
