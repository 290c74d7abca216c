/**
 * The neighbour overlay's control protocol (Spotify's half of the design): the messages two
 * Shoal tabs exchange on the control data channel of their connection. Versioned, JSON, and
 * bounded in size and in every field, because anything a stranger sends is hostile input:
 * `decode` refuses whatever is not exactly one of these messages, and the caller closes that
 * control channel (and nothing else) on a refusal.
 *
 * - `hello`: the first message each way; the protocol version and the sender's overlay id.
 * - `query`: "who holds this info-hash?", with a unique id (duplicates are dropped) and the
 *   hops it may still travel (at most 2: neighbours, and theirs).
 * - `hit`: the answer, routed back hop by hop along the query's path; names the holder.
 * - `signal`: WebRTC signalling (offer, answer, ICE candidate) between two tabs that are not
 *   neighbours, for the torrent a hit named, relayed by the neighbour in between, which
 *   forwards it and never reads its data.
 * - `wire`: "I opened data channel `ch` of our connection for this torrent's wire: open your
 *   half" (no new ICE, no DTLS, no tracker). The sender picks `ch` from its own half of the
 *   ids; the receiver refuses one it may not take (swarm/neighbours/link.ts). Since version 2
 *   it may carry the torrent's info dictionary (`info`, base64 of its bencoding) when the
 *   message stays within the size bound: a tab that added a magnet has its metadata without
 *   ut_metadata's round trip over the new wire. The receiver trusts it only if it hashes to
 *   the info-hash.
 *
 * Both ends must speak the same version (link.ts ends a link whose hello says another).
 */

export const PROTOCOL_VERSION = 2;
/** A control message longer than this (encoded) is refused. */
export const MAX_MESSAGE_BYTES = 16 * 1024;
/** A query travels at most this many hops. */
export const MAX_HOPS = 2;
/** An SDP or ICE candidate longer than this is refused. */
export const MAX_SIGNAL_CHARS = 12 * 1024;

export type SignalKind = 'offer' | 'answer' | 'candidate';

export type OverlayMessage =
  | { readonly t: 'hello'; readonly v: number; readonly id: string }
  | {
      readonly t: 'query';
      readonly q: string;
      readonly infoHash: string;
      readonly hops: number;
    }
  | { readonly t: 'hit'; readonly q: string; readonly infoHash: string; readonly holder: string }
  | {
      readonly t: 'signal';
      readonly from: string;
      readonly to: string;
      readonly infoHash: string;
      readonly kind: SignalKind;
      readonly data: string;
    }
  | {
      readonly t: 'wire';
      readonly infoHash: string;
      readonly ch: number;
      /** Base64 of the torrent's bencoded info dictionary (unchecked: hash it first). */
      readonly info?: string;
    };

export type Decoded =
  | { readonly ok: true; readonly message: OverlayMessage }
  | { readonly ok: false; readonly reason: string };

const INFO_HASH = /^[0-9a-f]{40}$/;
/** Overlay ids and query ids: 16 to 64 characters of [A-Za-z0-9_-]. */
const TOKEN = /^[A-Za-z0-9_-]{16,64}$/;
/** A data channel id is below SCTP's 1024 streams. */
const MAX_CHANNEL_ID = 1023;

export const wireLabel = (infoHash: string): string => `wire:${infoHash}`;

const utf8 = new TextEncoder();
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

function toBase64(bytes: Uint8Array): string {
  let binary = '';
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary);
}

/** The bytes of a `wire` message's `info` (null: not base64). */
export function infoBytes(info: string): Uint8Array<ArrayBuffer> | null {
  if (!BASE64.test(info)) return null;
  const binary = atob(info);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

/** A `wire` message, with the info dictionary when it fits within the size bound. */
export function wireMessage(
  infoHash: string,
  ch: number,
  info: Uint8Array | null,
): Extract<OverlayMessage, { t: 'wire' }> {
  const bare = { t: 'wire', infoHash, ch } as const;
  // base64 is 4/3 of the bytes; the JSON around it stays under 200 bytes.
  if (!info || info.byteLength === 0 || (info.byteLength * 4) / 3 + 200 > MAX_MESSAGE_BYTES)
    return bare;
  return { ...bare, info: toBase64(info) };
}

export function encode(message: OverlayMessage): string {
  const text = JSON.stringify(message);
  if (utf8.encode(text).byteLength > MAX_MESSAGE_BYTES)
    throw new RangeError(`Overlay message over ${String(MAX_MESSAGE_BYTES)} bytes`);
  return text;
}

const refuse = (reason: string): Decoded => ({ ok: false, reason });

type Fields = Record<string, unknown>;

function exactKeys(o: Fields, keys: readonly string[]): boolean {
  const own = Object.keys(o);
  return own.length === keys.length && keys.every((k) => Object.hasOwn(o, k));
}

const isToken = (v: unknown): v is string => typeof v === 'string' && TOKEN.test(v);
const isInfoHash = (v: unknown): v is string => typeof v === 'string' && INFO_HASH.test(v);

/** One message off the control channel, or why it is refused. */
export function decode(raw: unknown): Decoded {
  if (typeof raw !== 'string') return refuse('not text');
  if (raw.length > MAX_MESSAGE_BYTES || utf8.encode(raw).byteLength > MAX_MESSAGE_BYTES)
    return refuse('too long');
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    return refuse('not JSON');
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed))
    return refuse('not an object');
  const o = parsed as Fields;
  switch (o.t) {
    case 'hello':
      if (!exactKeys(o, ['t', 'v', 'id'])) return refuse('hello: unexpected fields');
      if (typeof o.v !== 'number' || !Number.isInteger(o.v) || o.v < 1) return refuse('hello: v');
      if (!isToken(o.id)) return refuse('hello: id');
      return { ok: true, message: { t: 'hello', v: o.v, id: o.id } };
    case 'query':
      if (!exactKeys(o, ['t', 'q', 'infoHash', 'hops'])) return refuse('query: unexpected fields');
      if (!isToken(o.q)) return refuse('query: q');
      if (!isInfoHash(o.infoHash)) return refuse('query: infoHash');
      if (
        typeof o.hops !== 'number' ||
        !Number.isInteger(o.hops) ||
        o.hops < 0 ||
        o.hops > MAX_HOPS
      )
        return refuse('query: hops');
      return { ok: true, message: { t: 'query', q: o.q, infoHash: o.infoHash, hops: o.hops } };
    case 'hit':
      if (!exactKeys(o, ['t', 'q', 'infoHash', 'holder'])) return refuse('hit: unexpected fields');
      if (!isToken(o.q) || !isInfoHash(o.infoHash) || !isToken(o.holder))
        return refuse('hit: fields');
      return { ok: true, message: { t: 'hit', q: o.q, infoHash: o.infoHash, holder: o.holder } };
    case 'signal':
      if (!exactKeys(o, ['t', 'from', 'to', 'infoHash', 'kind', 'data']))
        return refuse('signal: unexpected fields');
      if (!isToken(o.from) || !isToken(o.to) || o.from === o.to) return refuse('signal: ends');
      if (!isInfoHash(o.infoHash)) return refuse('signal: infoHash');
      if (o.kind !== 'offer' && o.kind !== 'answer' && o.kind !== 'candidate')
        return refuse('signal: kind');
      if (typeof o.data !== 'string' || o.data.length === 0 || o.data.length > MAX_SIGNAL_CHARS)
        return refuse('signal: data');
      return {
        ok: true,
        message: {
          t: 'signal',
          from: o.from,
          to: o.to,
          infoHash: o.infoHash,
          kind: o.kind,
          data: o.data,
        },
      };
    case 'wire': {
      if (!exactKeys(o, ['t', 'infoHash', 'ch']) && !exactKeys(o, ['t', 'infoHash', 'ch', 'info']))
        return refuse('wire: unexpected fields');
      if (!isInfoHash(o.infoHash)) return refuse('wire: infoHash');
      if (typeof o.ch !== 'number' || !Number.isInteger(o.ch) || o.ch < 0 || o.ch > MAX_CHANNEL_ID)
        return refuse('wire: ch');
      const wire = { t: 'wire', infoHash: o.infoHash, ch: o.ch } as const;
      if (!Object.hasOwn(o, 'info')) return { ok: true, message: wire };
      if (typeof o.info !== 'string' || o.info.length === 0 || !BASE64.test(o.info))
        return refuse('wire: info');
      return { ok: true, message: { ...wire, info: o.info } };
    }
    default:
      return refuse('unknown type');
  }
}
