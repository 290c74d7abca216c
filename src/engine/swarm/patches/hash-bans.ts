/**
 * Names the peer behind a piece that fails its hash check, and cuts it off (policy/trust.ts).
 *
 * Each block a peer delivers is recorded against the attempt at the piece it belongs to, as
 * webtorrent uses it: the first delivery of each block of the piece object current when it
 * was asked for (webtorrent drops deliveries for an attempt it has since thrown away, and
 * keeps the first copy of a block). When an attempt fails:
 * - one sender of every block: that sender lied;
 * - several: the attempt is kept until the piece verifies from other blocks, then each kept
 *   block is compared with the verified bytes, and every sender of a differing block lied.
 * The blocks are the very buffers webtorrent was handed (no copy); an attempt's record is
 * dropped once its piece verifies, and at most `MAX_FAILED_PIECES` failed ones are kept.
 * Web seeds are not recorded (their requests span blocks, and their gate is ours).
 */
import type { WtTorrent, WtWire } from 'webtorrent/dist/webtorrent.min.js';
import { provenBySoleSender, provenByVerified, type BlockOrigin } from '../../policy/trust.ts';
import type { Bans } from '../bans.ts';

/** Failed pieces kept, waiting to verify, so their senders can be judged. */
export const MAX_FAILED_PIECES = 64;

/** webtorrent's (3.0.21) warning for an attempt that failed its hash check. */
const HASH_FAILURE = /^Piece (\d+) failed verification$/;

interface Attempt {
  /** webtorrent's piece object for this attempt. */
  readonly piece: unknown;
  readonly blocks: BlockOrigin<WtWire>[];
}

type RequestCallback = (err: Error | null, chunk?: Uint8Array) => void;
type Request = (index: number, offset: number, length: number, cb: RequestCallback) => void;

/** The index of the piece a webtorrent warning says failed its hash check, if it says so. */
export function failedPiece(warning: Error | string): number | null {
  const match = HASH_FAILURE.exec(typeof warning === 'string' ? warning : warning.message);
  return match ? Number(match[1]) : null;
}

export function banLiars(wt: WtTorrent, bans: Bans): void {
  const current = new Map<number, Attempt>();
  const failed = new Map<number, Attempt[]>();

  const record = (
    index: number,
    asked: unknown,
    offset: number,
    bytes: Uint8Array,
    from: WtWire,
  ) => {
    // webtorrent drops a block for an attempt it has replaced since asking.
    if (asked === undefined || wt.pieces[index] !== asked) return;
    let attempt = current.get(index);
    if (attempt?.piece !== asked) {
      attempt = { piece: asked, blocks: [] };
      current.set(index, attempt);
    }
    if (attempt.blocks.some((block) => block.offset === offset)) return;
    attempt.blocks.push({ offset, bytes, from });
  };

  wt.on('wire', (wire) => {
    if (wire.type === 'webSeed') return;
    const w = wire as WtWire & { request: Request };
    const request = w.request.bind(w);
    w.request = (index, offset, length, cb) => {
      const asked = wt.pieces[index];
      request(index, offset, length, (err, chunk) => {
        if (!err && chunk) record(index, asked, offset, chunk, wire);
        cb(err, chunk);
      });
    };
  });

  wt.on('warning', (warning) => {
    const index = failedPiece(warning);
    if (index === null) return;
    bans.hashFailures++;
    const attempt = current.get(index);
    current.delete(index);
    if (!attempt) return;
    const liars = provenBySoleSender(attempt.blocks);
    for (const wire of liars) bans.cutOff(wire, 'sent data that failed the hash check');
    if (liars.length > 0) return;
    const kept = failed.get(index) ?? [];
    kept.push(attempt);
    failed.delete(index);
    failed.set(index, kept);
    // The oldest failed piece is forgotten first (a Map keeps insertion order).
    while (failed.size > MAX_FAILED_PIECES) failed.delete(failed.keys().next().value ?? index);
  });

  wt.on('verified', (index) => {
    current.delete(index);
    const attempts = failed.get(index);
    if (!attempts) return;
    failed.delete(index);
    const length = Math.min(wt.pieceLength, wt.length - index * wt.pieceLength);
    wt.store?.get(index, { offset: 0, length }, (err, verified) => {
      if (err || !verified) return;
      for (const attempt of attempts)
        for (const wire of provenByVerified(attempt.blocks, verified))
          bans.cutOff(wire, 'sent data that failed the hash check');
    });
  });
}
