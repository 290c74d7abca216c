import { decode as decodeMagnet } from 'magnet-uri';
import parseTorrent, { type ParsedTorrent } from 'parse-torrent';

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
const BTIH = /^urn:btih:(.*)$/;

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
  // Case-sensitive, as webtorrent's magnet-uri reads it: an "URN:BTIH:" it would not see.
  const btihs = xts.flatMap((xt) => BTIH.exec(xt)?.[1] ?? []);
  if (btihs.length === 0) {
    return fail(
      'That magnet link is not for BitTorrent v1 ("xt=urn:btih:…"); Shoal cannot open it.',
    );
  }
  // Every btih must be well formed: webtorrent keys the torrent by the last one, read as its
  // first 40 characters whatever they are, so a malformed one would be a different torrent.
  const malformed = btihs.find((hash) => normaliseInfoHash(hash) === null);
  if (malformed !== undefined) {
    return fail(
      `That magnet link's info-hash "${shorten(malformed)}" is malformed: it should be 40 hex or 32 base32 characters.`,
    );
  }
  // Key the torrent by the info-hash webtorrent will use (the last btih when there are
  // several), so that our list and the engine agree.
  const infoHash = normaliseInfoHash(data.infoHash ?? '');
  if (infoHash === null)
    return fail('That magnet link could not be read: check it was copied whole.');
  return {
    ok: true,
    value: { kind: 'magnet', infoHash, magnetURI: text, name: displayName(text) },
  };
}

/** Hostile text echoed in a message is cut short: a message is read by a person. */
const shorten = (text: string): string => (text.length > 48 ? `${text.slice(0, 45)}…` : text);

/**
 * The first `dn`, form-decoded ("+" is a space, "%2B" a plus). magnet-uri decodes first and
 * then turns every "+" into a space, so "C%2B%2B" came out as "C  ".
 */
function displayName(magnet: string): string | null {
  const query = magnet.slice(magnet.indexOf('?') + 1).split('#')[0] ?? '';
  const dn = query.split('&').find((param) => param.startsWith('dn='));
  if (dn === undefined) return null;
  try {
    const name = decodeURIComponent(dn.slice(3).replace(/\+/g, ' '));
    return name === '' ? null : name;
  } catch {
    return null;
  }
}

/** A damaged torrent parse-torrent lets through: sizes that are not sizes, pieces that do not cover the files. */
function damage(parsed: ParsedTorrent): string | null {
  const size = (n: unknown): boolean => Number.isSafeInteger(n) && (n as number) >= 0;
  if (typeof parsed.name !== 'string' || !Array.isArray(parsed.files) || parsed.files.length === 0)
    return 'no files';
  if (!parsed.files.every((file) => size(file.length)) || !size(parsed.length))
    return 'a bad file length';
  if (!size(parsed.pieceLength) || parsed.pieceLength === 0) return 'a bad piece length';
  if (parsed.pieces.length !== Math.ceil(parsed.length / parsed.pieceLength))
    return 'pieces that do not cover its files';
  return null;
}

/** Reads the bytes of a `.torrent` file; anything else gets a message naming the file. */
export async function parseTorrentFile(
  bytes: Uint8Array,
  fileName: string,
): Promise<Parsed<Extract<TorrentSource, { kind: 'torrent-file' }>>> {
  if (bytes.byteLength === 0) return fail(`"${fileName}" is empty: it is not a .torrent file.`);
  // A bencoded torrent is a dictionary: it starts with "d".
  if (bytes[0] !== 0x64) return fail(`"${fileName}" is not a .torrent file.`);
  // parse-torrent reads any 20 bytes as a bare info-hash, not as a file.
  if (bytes.byteLength === 20)
    return fail(`"${fileName}" is not a valid .torrent file: it is damaged or incomplete.`);
  try {
    const parsed = await parseTorrent(bytes);
    const problem = damage(parsed);
    if (problem !== null) throw new Error(problem);
    return {
      ok: true,
      value: { kind: 'torrent-file', infoHash: parsed.infoHash, bytes, name: parsed.name },
    };
  } catch {
    return fail(`"${fileName}" is not a valid .torrent file: it is damaged or incomplete.`);
  }
}
