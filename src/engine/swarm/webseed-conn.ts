/**
 * A web seed that serves only what the peer-assist policy allows (policy/webseed.ts).
 *
 * It steers webtorrent's own web seed connection (a bittorrent-protocol wire that answers
 * block requests over HTTP) in three ways: it advertises only the pieces the policy allows
 * (an empty bitfield at the handshake, then `have` and `donthave` as decisions change), so
 * webtorrent asks it for nothing else; it answers a request with one HTTP Range request
 * that spans the whole run of allowed pieces from there (many pieces, one request), keeping
 * the bytes for the requests that follow; and it sends CORS simple requests: no header but
 * one single `bytes=a-b` Range (safelisted), so no preflight. Stock sends `Cache-Control`
 * and `User-Agent` with one request per piece, each preflighted.
 */
import type { PieceRange } from '../policy/playhead-window.ts';

type Respond = (err: Error | null, data?: Uint8Array) => void;

/** The members of webtorrent's `WebConn` used here. */
export interface StockWebConn {
  readonly connId: string;
  readonly destroyed: boolean;
  httpRequest: (piece: number, offset: number, length: number, cb: Respond) => unknown;
  have: (piece: number) => void;
  bitfield: (bitfield: { buffer: Uint8Array; set(i: number, v: boolean): void }) => void;
  readonly lt_donthave: { donthave(piece: number): void };
}

export interface WebSeedTorrent {
  readonly pieceLength: number;
  readonly length: number;
  readonly files: readonly {
    readonly path: string;
    readonly offset: number;
    readonly length: number;
  }[];
}

export interface WebSeedStats {
  requests: number;
  bytes: number;
}

/** Where bytes `start`..`end` (exclusive) of the torrent are on the server, file by file. */
export function httpSegments(
  url: string,
  torrent: WebSeedTorrent,
  start: number,
  end: number,
): { url: string; from: number; to: number; at: number }[] {
  const single = torrent.files.length === 1;
  return torrent.files
    .filter((f) => f.offset < end && f.offset + f.length > start && f.length > 0)
    .map((f) => {
      const from = Math.max(start, f.offset) - f.offset;
      const to = Math.min(end, f.offset + f.length) - f.offset - 1;
      const base = url.endsWith('/') ? url : `${url}/`;
      const name = single ? (f.path.split('/').pop() ?? f.path) : f.path;
      const fileUrl =
        single && !url.endsWith('/')
          ? url
          : base + name.split('/').map(encodeURIComponent).join('/');
      return { url: fileUrl, from, to, at: f.offset + from - start };
    });
}

/** One HTTP range being received; requests inside it are answered as its bytes arrive. */
class RangeFetch {
  readonly bytes: Uint8Array;
  private filled = 0;
  private failed: Error | null = null;
  private readonly waiters = new Set<{ start: number; end: number; cb: Respond }>();
  doneAtMs: number | null = null;

  constructor(
    readonly start: number,
    readonly end: number,
  ) {
    this.bytes = new Uint8Array(end - start);
  }

  wait(start: number, end: number, cb: Respond): void {
    this.waiters.add({ start, end, cb });
    this.settle();
  }

  received(n: number): void {
    this.filled += n;
    this.settle();
  }

  fail(err: Error): void {
    this.failed = err;
    this.settle();
  }

  private settle(): void {
    for (const w of this.waiters) {
      if (w.end <= this.start + this.filled) {
        this.waiters.delete(w);
        w.cb(null, this.bytes.slice(w.start - this.start, w.end - this.start));
      } else if (this.failed) {
        this.waiters.delete(w);
        w.cb(this.failed);
      }
    }
  }
}

/** How long the bytes of a finished range are kept for requests that come late. */
const KEEP_MS = 30_000;

export class GatedWebSeed {
  readonly stats: WebSeedStats = { requests: 0, bytes: 0 };
  private allowed: readonly PieceRange[] = [];
  private readonly advertised = new Set<number>();
  private handshaken = false;
  private fetches: RangeFetch[] = [];
  private readonly sendHave: (piece: number) => void;

  constructor(
    private readonly conn: StockWebConn,
    private readonly torrent: WebSeedTorrent,
    private readonly url: string,
    private readonly nowMs: () => number,
    private readonly fetchFn: typeof fetch = (input, init) => fetch(input, init),
  ) {
    this.sendHave = conn.have.bind(conn);
    // Stock says `have` again 10 s after a failed request: only if still allowed.
    conn.have = (piece) => {
      if (this.isAllowed(piece)) this.sendHave(piece);
    };
    const sendBitfield = conn.bitfield.bind(conn);
    conn.bitfield = (bitfield) => {
      bitfield.buffer.fill(0);
      for (const piece of this.allowedPieces()) bitfield.set(piece, true);
      sendBitfield(bitfield);
      this.handshaken = true;
      for (const piece of this.allowedPieces()) this.advertised.add(piece);
    };
    conn.httpRequest = (piece, offset, length, cb) => {
      this.serve(piece, offset, length, cb);
    };
  }

  private isAllowed(piece: number): boolean {
    return this.allowed.some((r) => piece >= r.from && piece <= r.to);
  }

  private *allowedPieces(): Generator<number> {
    for (const r of this.allowed) for (let p = r.from; p <= r.to; p++) yield p;
  }

  /** What the policy allows now: advertise the new pieces, withdraw the others. */
  allow(ranges: readonly PieceRange[]): void {
    this.allowed = ranges;
    if (!this.handshaken || this.conn.destroyed) return;
    const next = new Set(this.allowedPieces());
    for (const piece of this.advertised) {
      if (!next.has(piece)) {
        this.advertised.delete(piece);
        this.conn.lt_donthave.donthave(piece);
      }
    }
    for (const piece of next) {
      if (!this.advertised.has(piece)) {
        this.advertised.add(piece);
        this.sendHave(piece);
      }
    }
    const now = this.nowMs();
    this.fetches = this.fetches.filter((f) => f.doneAtMs === null || now - f.doneAtMs < KEEP_MS);
  }

  private serve(piece: number, offset: number, length: number, cb: Respond): void {
    const start = piece * this.torrent.pieceLength + offset;
    const end = start + length;
    let range = this.fetches.find((f) => f.start <= start && end <= f.end);
    if (!range) {
      // The whole run of allowed pieces around this one, in one request (webtorrent may ask
      // for a later piece of the run first), less what an earlier request already covers.
      const pl = this.torrent.pieceLength;
      const run = this.allowed.find((r) => piece >= r.from && piece <= r.to);
      let from = run ? run.from * pl : start;
      for (const f of this.fetches) if (f.start <= from && f.end > from) from = f.end;
      from = Math.min(from, start);
      const runEnd = run ? (run.to + 1) * pl : end;
      range = new RangeFetch(from, Math.min(this.torrent.length, Math.max(end, runEnd)));
      this.fetches.push(range);
      void this.download(range);
    }
    range.wait(start, end, cb);
  }

  private async download(range: RangeFetch): Promise<void> {
    try {
      for (const segment of httpSegments(this.url, this.torrent, range.start, range.end)) {
        this.stats.requests++;
        // A simple request: one safelisted Range header, no credentials, nothing else.
        const response = await this.fetchFn(segment.url, {
          headers: { Range: `bytes=${String(segment.from)}-${String(segment.to)}` },
          credentials: 'omit',
          cache: 'no-store',
        });
        if (response.status !== 206 && !(response.status === 200 && segment.from === 0)) {
          throw new Error(`web seed answered ${String(response.status)}`);
        }
        const want = segment.to - segment.from + 1;
        let got = 0;
        const reader = response.body?.getReader();
        if (!reader) throw new Error('web seed sent no body');
        while (got < want) {
          const { value, done } = await reader.read();
          if (done) break;
          const chunk = value.subarray(0, want - got);
          range.bytes.set(chunk, segment.at + got);
          got += chunk.byteLength;
          this.stats.bytes += chunk.byteLength;
          range.received(chunk.byteLength);
        }
        if (got < want) throw new Error('web seed response ended early');
        await reader.cancel().catch(() => undefined);
      }
    } catch (err) {
      range.fail(err instanceof Error ? err : new Error(String(err)));
      this.fetches = this.fetches.filter((f) => f !== range);
      return;
    }
    range.doneAtMs = this.nowMs();
  }
}
