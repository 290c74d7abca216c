// CDP CPU profiles of the tabs during a download (`--profile`), saved as .cpuprofile files
// (open them in Chrome DevTools' Performance panel) and summarised by original source file
// through the bundles' source maps, so that "where the time goes" reads in our terms.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Peer } from './browser.ts';
import { APP_ORIGIN, BENCH_OUT_DIR, ROOT, STATIC_ORIGIN } from './servers.ts';

interface CallFrame {
  readonly functionName: string;
  readonly url: string;
  readonly lineNumber: number;
  readonly columnNumber: number;
}
interface ProfileNode {
  readonly id: number;
  readonly callFrame: CallFrame;
}
export interface CpuProfile {
  readonly nodes: ProfileNode[];
  readonly startTime: number;
  readonly endTime: number;
  readonly samples?: number[];
  readonly timeDeltas?: number[];
}

export async function startProfiling(peers: readonly Peer[]): Promise<void> {
  for (const peer of peers) {
    await peer.cdp.send('Profiler.enable');
    await peer.cdp.send('Profiler.setSamplingInterval', { interval: 500 });
    await peer.cdp.send('Profiler.start');
  }
}

export async function stopProfiling(peers: readonly Peer[]): Promise<CpuProfile[]> {
  return Promise.all(
    peers.map(async (peer) => (await peer.cdp.send('Profiler.stop')).profile as CpuProfile),
  );
}

/** A source map's original-position lookup, when source-map-js can be loaded. */
interface Original {
  readonly source: string | null;
  readonly name: string | null;
  readonly line: number;
  readonly column: number;
}
type Lookup = (line: number, column: number) => Original;

const lookups = new Map<string, Lookup | null>();

/** The local .map of a script the pages load (the built app, or webtorrent's dist). */
function mapFileFor(url: string): string | null {
  if (url.startsWith(`${STATIC_ORIGIN}/webtorrent.min.js`)) return WEBTORRENT_MAP;
  if (url.startsWith(`${APP_ORIGIN}/`)) {
    const path = new URL(url).pathname;
    return join(ROOT, BENCH_OUT_DIR, `${path}.map`);
  }
  return null;
}

const WEBTORRENT_MAP = join(ROOT, 'node_modules/webtorrent/dist/webtorrent.min.js.map');

async function loadLookup(mapFile: string): Promise<Lookup | null> {
  if (lookups.has(mapFile)) return lookups.get(mapFile) ?? null;
  let lookup: Lookup | null = null;
  if (existsSync(mapFile)) {
    try {
      // A dependency of Vite's (postcss), not of ours: profiles are summarised without it.
      const { SourceMapConsumer } = await import('source-map-js');
      const consumer = new SourceMapConsumer(readFileSync(mapFile, 'utf8'));
      lookup = (line, column) => {
        const p = consumer.originalPositionFor({ line: line + 1, column });
        // Typed as always found, but null at runtime when a position maps to nothing.
        const source: string | null = p.source;
        return { source, name: p.name ?? null, line: p.line - 1, column: p.column };
      };
    } catch {
      lookup = null;
    }
  }
  lookups.set(mapFile, lookup);
  return lookup;
}

/** Where a profiled position comes from; through webtorrent's own map inside our bundle. */
export async function originalOf(
  url: string,
  line: number,
  column: number,
): Promise<Original | null> {
  const mapFile = mapFileFor(url);
  const lookup = mapFile === null ? null : await loadLookup(mapFile);
  const first = lookup ? lookup(line, column) : null;
  if (first?.source?.endsWith('webtorrent/dist/webtorrent.min.js') !== true) return first;
  const inner = await loadLookup(WEBTORRENT_MAP);
  const second = inner ? inner(first.line, first.column) : null;
  return second?.source ? second : first;
}

/** Shortens a source path to where it comes from: `webtorrent/lib/torrent.js`, `src/...`. */
function shortSource(source: string): string {
  const nm = source.lastIndexOf('node_modules/');
  if (nm >= 0) return source.slice(nm + 'node_modules/'.length);
  const src = source.search(/\b(src|sw)\//);
  return src >= 0 ? source.slice(src) : source.replace(/^(\.\.\/|webpack:\/\/[^/]*\/)+/, '');
}

export interface ProfileSummary {
  readonly totalMs: number;
  /** Self time by original source file (or a V8 category such as "(garbage collector)"). */
  readonly bySource: { readonly source: string; readonly ms: number }[];
  /** Self time by function, with its source file. */
  readonly byFunction: { readonly fn: string; readonly ms: number }[];
}

export async function summarise(profile: CpuProfile, top = 10): Promise<ProfileSummary> {
  const selfUs = new Map<number, number>();
  const samples = profile.samples ?? [];
  const deltas = profile.timeDeltas ?? [];
  // Each delta is the time before its sample: charge it to the sample that follows.
  samples.forEach((id, i) => selfUs.set(id, (selfUs.get(id) ?? 0) + (deltas[i + 1] ?? 0)));
  const bySource = new Map<string, number>();
  const byFunction = new Map<string, number>();
  let totalUs = 0;
  for (const node of profile.nodes) {
    const us = selfUs.get(node.id) ?? 0;
    if (us === 0) continue;
    const { functionName, url, lineNumber, columnNumber } = node.callFrame;
    if (functionName === '(idle)') continue;
    totalUs += us;
    let source = url ? url.replace(/^https?:\/\/localhost:\d+\//, '') : functionName || '(native)';
    let name = functionName || '(anonymous)';
    const original = url ? await originalOf(url, lineNumber, columnNumber) : null;
    if (original?.source) source = shortSource(original.source);
    if (original?.name) name = original.name;
    bySource.set(source, (bySource.get(source) ?? 0) + us);
    const at = original?.source ? `:${String(original.line + 1)}` : '';
    const fnKey = url ? `${name} (${source}${at})` : name;
    byFunction.set(fnKey, (byFunction.get(fnKey) ?? 0) + us);
  }
  const topOf = (map: Map<string, number>) =>
    [...map.entries()].sort((a, b) => b[1] - a[1]).slice(0, top);
  return {
    totalMs: totalUs / 1000,
    bySource: topOf(bySource).map(([source, us]) => ({ source, ms: us / 1000 })),
    byFunction: topOf(byFunction).map(([fn, us]) => ({ fn, ms: us / 1000 })),
  };
}

export function renderSummary(title: string, summary: ProfileSummary): string {
  const share = (ms: number): string =>
    `${((100 * ms) / summary.totalMs).toFixed(1).padStart(5)}%  ${ms.toFixed(0).padStart(6)} ms`;
  return [
    `## ${title}: ${summary.totalMs.toFixed(0)} ms busy (idle excluded)`,
    '  by source file:',
    ...summary.bySource.map((s) => `    ${share(s.ms)}  ${s.source}`),
    '  by function:',
    ...summary.byFunction.map((f) => `    ${share(f.ms)}  ${f.fn}`),
  ].join('\n');
}

/** Keeps the raw profiles next to the JSON; returns the folder. */
export function saveProfiles(
  dir: string,
  profiles: readonly { readonly name: string; readonly profile: CpuProfile }[],
): string {
  mkdirSync(dir, { recursive: true });
  for (const { name, profile } of profiles) {
    writeFileSync(
      join(dir, `${name.replaceAll(/[^\w.-]+/g, '_')}.cpuprofile`),
      JSON.stringify(profile),
    );
  }
  return dir;
}
