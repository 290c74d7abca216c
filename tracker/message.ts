// What a WebSocket tracker message must look like before bittorrent-tracker sees it. Its own
// parser (lib/server/parse-websocket.js) checks the info-hash and peer id, but not what it
// later dereferences on a timer, where a throw is uncaught and ends the process: an offer
// that is not an object (`params.offers[i].offer` of null), for one. Here every field it
// uses is of the type it uses it as, or the message is refused with a reason.
import type { TrackerLimits } from './limits.ts';

export type Checked =
  | {
      readonly ok: true;
      readonly action: 'announce' | 'scrape';
      /** Offers and answers it asks the tracker to forward. */
      readonly signals: number;
    }
  | {
      readonly ok: false;
      readonly reason: string;
      /** The info-hash the refusal is about, as sent (so the client can tell its torrent). */
      readonly infoHash?: string;
    };

const EVENTS = new Set(['started', 'stopped', 'completed', 'update', 'paused', 'empty']);

type Json = Record<string, unknown>;
const isObject = (value: unknown): value is Json =>
  typeof value === 'object' && value !== null && !Array.isArray(value);
/** Info-hashes and peer ids travel as 20-character binary strings. */
const isId = (value: unknown): value is string => typeof value === 'string' && value.length === 20;
const isSdp = (value: unknown): boolean => isObject(value) && typeof value.sdp === 'string';

function checkAnnounce(message: Json, limits: TrackerLimits): Checked {
  const infoHash = isId(message.info_hash) ? message.info_hash : undefined;
  const refuse = (reason: string): Checked =>
    infoHash === undefined ? { ok: false, reason } : { ok: false, reason, infoHash };
  if (infoHash === undefined) return refuse('invalid info_hash');
  if (!isId(message.peer_id)) return refuse('invalid peer_id');
  if (
    message.event !== undefined &&
    !(typeof message.event === 'string' && EVENTS.has(message.event))
  )
    return refuse('invalid event');
  for (const field of ['numwant', 'uploaded', 'downloaded', 'left'] as const) {
    const value = message[field];
    if (
      value !== undefined &&
      value !== null &&
      typeof value !== 'number' &&
      typeof value !== 'string'
    )
      return refuse(`invalid ${field}`);
  }
  let signals = 0;
  if (message.offers !== undefined) {
    const offers = message.offers;
    if (!Array.isArray(offers)) return refuse('invalid offers');
    if (offers.length > limits.maxOffersPerAnnounce)
      return refuse(`too many offers: at most ${String(limits.maxOffersPerAnnounce)} an announce`);
    const good = offers.every(
      (offer) => isObject(offer) && isSdp(offer.offer) && typeof offer.offer_id === 'string',
    );
    if (!good) return refuse('invalid offer');
    signals += offers.length;
  }
  if (message.answer !== undefined) {
    if (!isSdp(message.answer)) return refuse('invalid answer');
    if (!isId(message.to_peer_id)) return refuse('invalid `to_peer_id` (required with `answer`)');
    if (typeof message.offer_id !== 'string') return refuse('invalid offer_id');
    signals += 1;
  }
  return { ok: true, action: 'announce', signals };
}

function checkScrape(message: Json, limits: TrackerLimits): Checked {
  const hashes = typeof message.info_hash === 'string' ? [message.info_hash] : message.info_hash;
  // bittorrent-tracker answers a scrape naming no torrent with every torrent it has.
  if (!Array.isArray(hashes) || hashes.length === 0)
    return { ok: false, reason: 'scrape names no info_hash' };
  if (hashes.length > limits.maxScrapeHashes)
    return {
      ok: false,
      reason: `too many info_hash: at most ${String(limits.maxScrapeHashes)} a scrape`,
    };
  if (!hashes.every(isId)) return { ok: false, reason: 'invalid info_hash' };
  return { ok: true, action: 'scrape', signals: 0 };
}

/** Checks one message's text: JSON, an announce or a scrape, with fields of the right types. */
export function checkMessage(text: string, limits: TrackerLimits): Checked {
  let message: unknown;
  try {
    message = JSON.parse(text);
  } catch {
    return { ok: false, reason: 'invalid JSON' };
  }
  if (!isObject(message)) return { ok: false, reason: 'a message is a JSON object' };
  if (message.action === 'announce') return checkAnnounce(message, limits);
  if (message.action === 'scrape') return checkScrape(message, limits);
  return { ok: false, reason: 'invalid action' };
}
