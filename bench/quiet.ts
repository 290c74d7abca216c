// How quiet the machine was while each measurement ran. On 2 cores a test suite or a build
// beside the bench slows every tab it drives, and figures taken so are 3–4× off. Two signs
// are kept for each measurement:
// - the 1-minute load average before and after it (what a reader knows how to read, though it
//   counts the bench's own tabs too and lags by a minute);
// - the CPU that processes outside the bench's own tree used during it, in cores: the whole
//   machine's busy time (/proc/stat, which keeps the time of processes that have exited) less
//   the bench's (this process and its descendants). The bench's tree is sampled every 250 ms
//   and each process's last reading kept: the tabs' renderers exit when their context closes,
//   and Chromium does not collect their times into a parent's (a reaped child's are lost).
// The load average counts the bench's own tabs (and a previous run's for a minute after), so
// the threshold is on the second sign: a run in which other processes used more than it, in
// the seconds before the run or during any measurement, is marked noisy, and no goal is judged.
import { readFileSync, readdirSync } from 'node:fs';
import { loadavg } from 'node:os';

/** Over this, a run is noisy: cores used by other processes, averaged over one measurement. */
export const QUIET = { foreignCores: 0.3 } as const;

/** Seconds the machine is watched before the run starts. */
export const BEFORE_RUN_S = 3;

/** Linux's USER_HZ: /proc reports CPU times in these ticks. */
const TICKS_PER_S = 100;

/** How often the bench's process tree is read. */
const SAMPLE_MS = 250;

export interface Noise {
  readonly loadBefore: number;
  readonly loadAfter: number;
  /** NaN where /proc cannot be read. */
  readonly foreignCores: number;
}

function machineBusyTicks(): number | null {
  try {
    const line = readFileSync('/proc/stat', 'utf8').split('\n')[0] ?? '';
    const [, ...fields] = line.trim().split(/\s+/);
    const n = fields.map(Number);
    // user nice system idle iowait irq softirq steal …
    const total = n.slice(0, 8).reduce((a, b) => a + b, 0);
    return total - (n[3] ?? 0) - (n[4] ?? 0);
  } catch {
    return null;
  }
}

/** pid → [ppid, utime + stime], for every process readable now. */
function processTicks(): Map<number, readonly [number, number]> {
  const out = new Map<number, readonly [number, number]>();
  let pids: string[];
  try {
    pids = readdirSync('/proc').filter((name) => /^\d+$/.test(name));
  } catch {
    return out;
  }
  for (const pid of pids) {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      // The command name is in parentheses and may hold spaces: fields start after the last ')'.
      const rest = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      const ppid = Number(rest[1]);
      const ticks = Number(rest[11] ?? 0) + Number(rest[12] ?? 0);
      out.set(Number(pid), [ppid, ticks]);
    } catch {
      // Exited meanwhile.
    }
  }
  return out;
}

/** pid → utime + stime of `rootPid` and its descendants now. */
function treeTicks(rootPid: number): Map<number, number> {
  const all = processTicks();
  const children = new Map<number, number[]>();
  for (const [pid, [ppid]] of all) children.set(ppid, [...(children.get(ppid) ?? []), pid]);
  const out = new Map<number, number>();
  const stack = [rootPid];
  while (stack.length > 0) {
    const pid = stack.pop() ?? 0;
    const ticks = all.get(pid)?.[1];
    if (ticks !== undefined) out.set(pid, ticks);
    stack.push(...(children.get(pid) ?? []));
  }
  return out;
}

/** Starts watching one measurement; `stop()` says how quiet the machine was meanwhile. */
export function watchNoise(): { stop(): Noise } {
  const loadBefore = loadavg()[0] ?? Number.NaN;
  const startMs = Date.now();
  const busyBefore = machineBusyTicks();
  // Per process of the bench's tree: its ticks when first seen (0 if born since) and last seen.
  const seen = new Map<number, { from: number; last: number }>();
  for (const [pid, ticks] of treeTicks(process.pid)) seen.set(pid, { from: ticks, last: ticks });
  const sample = (): void => {
    for (const [pid, ticks] of treeTicks(process.pid)) {
      const known = seen.get(pid);
      if (known) known.last = ticks;
      else seen.set(pid, { from: 0, last: ticks });
    }
  };
  const timer = setInterval(sample, SAMPLE_MS);
  return {
    stop() {
      clearInterval(timer);
      sample();
      const busyAfter = machineBusyTicks();
      const wallS = (Date.now() - startMs) / 1000;
      let bench = 0;
      for (const { from, last } of seen.values()) bench += last - from;
      const foreign =
        busyBefore === null || busyAfter === null || wallS <= 0
          ? Number.NaN
          : Math.max(0, (busyAfter - busyBefore - bench) / TICKS_PER_S / wallS);
      return { loadBefore, loadAfter: loadavg()[0] ?? Number.NaN, foreignCores: foreign };
    },
  };
}

/** How quiet the machine is with nothing of the bench's running yet. */
export async function beforeRun(): Promise<Noise> {
  const watch = watchNoise();
  await new Promise((resolve) => setTimeout(resolve, BEFORE_RUN_S * 1000));
  return watch.stop();
}

/** Why a run is noisy (empty: quiet enough to judge goals). */
export function noisyBecause(
  before: Noise,
  measured: readonly { readonly name: string; readonly noise: Noise }[],
): string[] {
  const reasons: string[] = [];
  for (const { name, noise } of [
    { name: `the ${String(BEFORE_RUN_S)} s before the run`, noise: before },
    ...measured,
  ])
    if (noise.foreignCores > QUIET.foreignCores)
      reasons.push(
        `${name}: other processes used ${noise.foreignCores.toFixed(2)} cores (over ${String(QUIET.foreignCores)})`,
      );
  return reasons;
}
