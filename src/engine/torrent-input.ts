import { decode as decodeMagnet } from 'magnet-uri';
import parseTorrent from 'parse-torrent';

/** A torrent the user asked for, checked before it reaches the engine. */
export type TorrentSource =
  | {
      readonly kind: 'magnet';
      readonly infoHash: string;
      readonly magnetURI: string;
      readonly name: string | null;
    }
  | {
      readonly kind: 'torrent-file';
      readonly infoHash: string;
      readonly bytes: Uint8Array;
      readonly name: string;
    };

export type Parsed<T> =
  { readonly ok: true; readonly value: T } | { readonly ok: false; readonly message: string };

const HEX_INFOHASH = /^[0-9a-f]{40}$/i;
const BASE32_INFOHASH = /^[a-z2-7]{32}$/i;
const BTIH = /^urn:btih:(.*)$/i;

const fail = (message: string): { ok: false; message: string } => ({ ok: false, message });

function base32ToHex(text: string): string {
  const alphabet = 'abcdefghijklmnopqrstuvwxyz234567';
  let bits = '';
  for (const char of text.toLowerCase())
    bits += alphabet.indexOf(char).toString(2).padStart(5, '0');
  let hex = '';
  for (let i = 0; i + 4 <= bits.length; i += 4)
    hex += parseInt(bits.slice(i, i + 4), 2).toString(16);
  return hex;
}

function normaliseInfoHash(text: string): string | null {
  if (HEX_INFOHASH.test(text)) return text.toLowerCase();
  if (BASE32_INFOHASH.test(text)) return base32ToHex(text);
  return null;
}

/**
 * Reads what a user pasted: a magnet link, or a bare info-hash (40 hex or 32 base32
 * characters). Returns a clear message for anything else.
 */
export function parseMagnetOrInfoHash(
  input: string,
): Parsed<Extract<TorrentSource, { kind: 'magnet' }>> {
  const text = input.trim();
  if (text === '') return fail('Paste a magnet link or an info-hash.');
  const bareHash = normaliseInfoHash(text);
  if (bareHash !== null) {
    return {
      ok: true,
      value: {
        kind: 'magnet',
        infoHash: bareHash,
        magnetURI: `magnet:?xt=urn:btih:${bareHash}`,
        name: null,
      },
    };
  }
  if (!/^magnet:\?/i.test(text)) {
    return fail(
      'That is not a magnet link: it should start with "magnet:?", or be a 40-character info-hash.',
    );
  }
  let data;
  try {
    data = decodeMagnet(text);
  } catch {
    return fail('That magnet link could not be read: check it was copied whole.');
  }
  const xts = ([] as string[]).concat(data.xt ?? []);
  if (xts.length === 0)
    return fail(
      'That magnet link has no "xt=urn:btih:…" info-hash, so there is nothing to download.',
    );
  const btih = xts.map((xt) => BTIH.exec(xt)?.[1]).find((hash) => hash !== undefined);
  if (btih === undefined) {
    return fail(
      'That magnet link is not for BitTorrent v1 ("xt=urn:btih:…"); Shoal cannot open it.',
    );
  }
  if (normaliseInfoHash(btih) === null) {
    return fail(
      `That magnet link's info-hash "${btih}" is malformed: it should be 40 hex or 32 base32 characters.`,
    );
  }
  // Key the torrent by the info-hash webtorrent will use (the last btih when there are
  // several), so that our list and the engine agree.
  const infoHash = normaliseInfoHash(data.infoHash ?? '') ?? normaliseInfoHash(btih) ?? btih;
  const dn = ([] as string[]).concat(data.name ?? [])[0];
  return { ok: true, value: { kind: 'magnet', infoHash, magnetURI: text, name: dn ?? null } };
}

/** Reads the bytes of a `.torrent` file; anything else gets a message naming the file. */
export async function parseTorrentFile(
  bytes: Uint8Array,
  fileName: string,
): Promise<Parsed<Extract<TorrentSource, { kind: 'torrent-file' }>>> {
  if (bytes.byteLength === 0) return fail(`"${fileName}" is empty: it is not a .torrent file.`);
  // A bencoded torrent is a dictionary: it starts with "d".
  if (bytes[0] !== 0x64) return fail(`"${fileName}" is not a .torrent file.`);
  try {
    const parsed = await parseTorrent(bytes);
    if (parsed.length === 0 && parsed.files.length === 0) throw new Error('no files');
    return {
      ok: true,
      value: { kind: 'torrent-file', infoHash: parsed.infoHash, bytes, name: parsed.name },
    };
  } catch {
    return fail(`"${fileName}" is not a valid .torrent file: it is damaged or incomplete.`);
  }
}
