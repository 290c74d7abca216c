/**
 * BitTorrent's choking: at most `maxUnchoked` peers unchoked for upload, chosen every
 * `rechokeMs` by the rate at which each sent us data (tit-for-tat; when seeding, by the
 * rate we upload to them), plus one optimistic unchoke rotated every `optimisticMs` so that
 * newcomers get a first piece to trade with. In an emergency nobody is unchoked.
 *
 * A regular slot nobody interested holds goes to a peer that has just connected and not yet
 * said whether it is interested (`newcomer`). Otherwise its first request waits for a round
 * trip: it says it is interested once it has the metadata, and only the unchoke that answers
 * lets it ask for a block. That round trip between two busy tabs took 18–60 ms of a stream's
 * start in `npm run bench -- --only stream --trace` ('<interested', '<unchoke'). A newcomer
 * that stays uninterested loses the slot when it stops being new.
 */
import type { PeerAssistSettings } from '../../config/peer-assist.ts';

export interface ChokePeer {
  readonly id: string;
  readonly downRateBytesPerS: number;
  readonly upRateBytesPerS: number;
  /** It wants something we have. */
  readonly interested: boolean;
  /** It has everything: it never needs an upload from us. */
  readonly isSeeder: boolean;
  /** It connected just now and has not said yet whether it is interested. */
  readonly newcomer?: boolean;
}

export interface ChokeState {
  /** The regular slots, best first. */
  readonly regular: readonly string[];
  readonly optimistic: string | null;
  readonly optimisticSinceMs: number;
  readonly lastRechokeMs: number | null;
}

export const INITIAL_CHOKE: ChokeState = {
  regular: [],
  optimistic: null,
  optimisticSinceMs: 0,
  lastRechokeMs: null,
};

export interface ChokeContext {
  readonly nowMs: number;
  /** We have the whole torrent: rank by upload rate. */
  readonly seeding: boolean;
  readonly emergency: boolean;
  /** In [0, 1): picks the optimistic peer. */
  readonly random: number;
}

type ChokePolicy = Pick<PeerAssistSettings, 'maxUnchoked' | 'rechokeMs' | 'optimisticMs'>;

export function rechoke(
  peers: readonly ChokePeer[],
  state: ChokeState,
  { nowMs, seeding, emergency, random }: ChokeContext,
  policy: ChokePolicy,
): ChokeState {
  if (emergency) return { ...INITIAL_CHOKE, lastRechokeMs: state.lastRechokeMs };
  const candidates = peers.filter((p) => p.interested && !p.isSeeder);
  const ids = new Set(candidates.map((p) => p.id));
  const rate = (p: ChokePeer): number => (seeding ? p.upRateBytesPerS : p.downRateBytesPerS);
  const was = new Set(state.regular);
  // Faster first; on a tie, those already unchoked (no fibrillation), then by id.
  const ranked = [...candidates].sort(
    (a, b) =>
      rate(b) - rate(a) ||
      Number(was.has(b.id)) - Number(was.has(a.id)) ||
      (a.id < b.id ? -1 : a.id > b.id ? 1 : 0),
  );
  const due = state.lastRechokeMs === null || nowMs - state.lastRechokeMs >= policy.rechokeMs;
  let regular: string[];
  if (due) {
    regular = ranked.slice(0, policy.maxUnchoked).map((p) => p.id);
  } else {
    // Between rechokes: keep the choice, fill slots freed by peers gone or sated.
    regular = state.regular.filter((id) => ids.has(id));
    for (const p of ranked) {
      if (regular.length >= policy.maxUnchoked) break;
      if (!regular.includes(p.id) && p.id !== state.optimistic) regular.push(p.id);
    }
  }
  let optimistic = state.optimistic;
  let optimisticSinceMs = state.optimisticSinceMs;
  const expired = nowMs - state.optimisticSinceMs >= policy.optimisticMs;
  if (optimistic === null || !ids.has(optimistic) || regular.includes(optimistic) || expired) {
    const others = ranked.filter((p) => !regular.includes(p.id) && p.id !== state.optimistic);
    const pool = others.length > 0 ? others : ranked.filter((p) => !regular.includes(p.id));
    const pick = pool[Math.min(pool.length - 1, Math.floor(random * pool.length))];
    optimistic = pick?.id ?? null;
    optimisticSinceMs = nowMs;
  }
  // Slots left free go to newcomers, so that their first request is answered at once.
  for (const p of peers) {
    if (regular.length >= policy.maxUnchoked) break;
    if (p.newcomer === true && !p.interested && !p.isSeeder) regular.push(p.id);
  }
  return {
    regular,
    optimistic,
    optimisticSinceMs,
    lastRechokeMs: due ? nowMs : state.lastRechokeMs,
  };
}

/** Everyone a choke state unchokes. */
export function unchokedIds(state: ChokeState): Set<string> {
  const ids = new Set(state.regular);
  if (state.optimistic !== null) ids.add(state.optimistic);
  return ids;
}
