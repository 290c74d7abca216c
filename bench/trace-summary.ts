// `--trace`'s summary of a stream round, from the events trace.ts read in the viewer's and the
// seeder's pages: what the wires carried, the marks in order, and where each critical piece went.
import type { TraceEvent } from './trace.ts';

/** What the summary lists of a phase, in order (the wire traffic is only counted). */
const MARKS = new Set([
  'loaf',
  'snapshots',
  'refresh',
  'ws>',
  'pc',
  '<interested',
  '<unchoke',
  'slow',
  'wire',
  'metadata',
  'sw-fetch',
  'sw-post',
  'sw-range',
  'head>sw',
  'chunk>sw',
  'end>sw',
  'critical',
  'loadedmetadata',
  'canplay',
  'playing',
  'seeking',
  'seeked',
  'waiting',
]);

/** A readable summary of one traced stream round: where the start and the seek went. */
export function summariseTrace(viewer: TraceEvent[], seeder: TraceEvent[]): string {
  const lines: string[] = [];
  viewer.sort((a, b) => a.atMs - b.atMs);
  const t0 = viewer[0]?.atMs ?? 0;
  const at = (ms: number): string => `+${(ms - t0).toFixed(0)}`;
  const seeking = viewer.find((e) => e.what === 'seeking');
  const phases: [string, number, number][] = [['start', t0, seeking?.atMs ?? Infinity]];
  if (seeking) phases.push(['seek', seeking.atMs, Infinity]);
  for (const [name, from, to] of phases) {
    const v = viewer.filter((e) => e.atMs >= from && e.atMs < to);
    const s = seeder.filter((e) => e.atMs >= from && e.atMs < to);
    const count = (events: TraceEvent[], what: string): number =>
      events.filter((e) => e.what === what).length;
    lines.push(
      `  ${name}: blocks in ${String(count(v, '<block'))}, requests out ${String(count(v, 'req>'))}, cancels out ${String(count(v, 'cancel>'))}; seeder: requests in ${String(count(s, '<req'))}, blocks out ${String(count(s, 'block>'))}, cancels in ${String(count(s, '<cancel'))}`,
    );
    // The marks in order, then where each piece a read waited on went.
    const marks = [
      ...v.filter((e) => MARKS.has(e.what)),
      ...s
        .filter((e) => ['pc', 'ws>', '<interested', '<unchoke'].includes(e.what))
        .map((e) => ({ ...e, what: `seeder ${e.what}` })),
    ].sort((a, b) => a.atMs - b.atMs);
    for (const e of marks.slice(0, 120))
      lines.push(
        `    ${at(e.atMs)} ${e.what}${e.piece !== undefined ? ` ${String(e.piece)}` : ''}${e.ms !== undefined ? ` ${String(e.ms)}ms` : ''}${e.bytes !== undefined ? ` ${String(e.bytes)}B` : ''}${e.detail !== undefined ? ` ${e.detail}` : ''}`,
      );
    const criticals = v.filter((e) => e.what === 'critical');
    for (const c of criticals.slice(0, 6)) {
      const piece = c.piece ?? -1;
      const req = v.find((e) => e.what === 'req>' && e.piece === piece && e.atMs >= c.atMs - 1);
      const sreq = s.find((e) => e.what === '<req' && e.piece === piece);
      const sblock = s.find((e) => e.what === 'block>' && e.piece === piece);
      const block = v.find((e) => e.what === '<block' && e.piece === piece);
      const verified = v.find((e) => e.what === 'verified' && e.piece === piece);
      const before = block
        ? v.filter((e) => e.what === '<block' && e.atMs >= c.atMs && e.atMs < block.atMs).length
        : 0;
      const f = (e: TraceEvent | undefined): string => (e ? at(e.atMs) : '-');
      lines.push(
        `    critical ${String(piece)} at ${at(c.atMs)}: req> ${f(req)}, seeder <req ${f(sreq)} block> ${f(sblock)}, <block ${f(block)} (${String(before)} other blocks before it), verified ${f(verified)}`,
      );
    }
    const perResponse = new Map<string, number>();
    for (const e of v)
      if (e.what === 'chunk>sw')
        perResponse.set(e.detail ?? '?', (perResponse.get(e.detail ?? '?') ?? 0) + (e.bytes ?? 0));
    const total = [...perResponse.values()].reduce((a, b) => a + b, 0);
    const each = [...perResponse].map(([id, bytes]) => `${id} ${String(bytes)}`).join(', ');
    lines.push(`    chunks to the worker: ${String(total)} bytes (${each})`);
  }
  return lines.join('\n');
}
