// How quiet the machine was while each measurement ran. On 2 cores a test suite or a build
// beside the bench slows every tab it drives, and figures taken so are 3–4× off. Two signs
// are kept for each measurement:
// - the 1-minute load average before and after it (what a reader knows how to read, though it
//   counts the bench's own tabs too and lags by a minute);
// - the CPU that processes outside the bench's own tree used during it, in cores: the whole
//   machine's busy time (/proc/stat, which keeps the time of processes that have exited) less
//   the bench's (this process and its descendants, with their reaped children's time).
// A run in which either sign is over its threshold is marked noisy, and no goal is judged.
import { readFileSync, readdirSync } from 'node:fs';
import { loadavg } from 'node:os';

/** Over these, a run is noisy. */
export const QUIET = {
  /** Cores used by other processes, averaged over one measurement. */
  foreignCores: 0.3,
  /** The 1-minute load average when the run starts (before the bench's own tabs). */
  startLoad: 2,
} as const;

/** Linux's USER_HZ: /proc reports CPU times in these ticks. */
const TICKS_PER_S = 100;

interface CpuMark {
  readonly wallMs: number;
  /** Busy ticks of the whole machine (null where /proc cannot be read). */
  readonly busyTicks: number | null;
  /** Ticks of this process and its descendants, reaped children included. */
  readonly benchTicks: number;
}

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

/** pid → [ppid, utime + stime + cutime + cstime], for every process readable now. */
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
      const ticks = [11, 12, 13, 14].reduce((sum, i) => sum + Number(rest[i] ?? 0), 0);
      out.set(Number(pid), [ppid, ticks]);
    } catch {
      // Exited meanwhile.
    }
  }
  return out;
}

function benchTicks(rootPid: number): number {
  const all = processTicks();
  const children = new Map<number, number[]>();
  for (const [pid, [ppid]] of all) children.set(ppid, [...(children.get(ppid) ?? []), pid]);
  let sum = 0;
  const stack = [rootPid];
  while (stack.length > 0) {
    const pid = stack.pop() ?? 0;
    sum += all.get(pid)?.[1] ?? 0;
    stack.push(...(children.get(pid) ?? []));
  }
  return sum;
}

function mark(): CpuMark {
  return {
    wallMs: Date.now(),
    busyTicks: machineBusyTicks(),
    benchTicks: benchTicks(process.pid),
  };
}

/** Starts watching one measurement; `stop()` says how quiet the machine was meanwhile. */
export function watchNoise(): { stop(): Noise } {
  const loadBefore = loadavg()[0] ?? Number.NaN;
  const start = mark();
  return {
    stop() {
      const end = mark();
      const wallS = (end.wallMs - start.wallMs) / 1000;
      const foreign =
        start.busyTicks === null || end.busyTicks === null || wallS <= 0
          ? Number.NaN
          : Math.max(
              0,
              (end.busyTicks - start.busyTicks - (end.benchTicks - start.benchTicks)) /
                TICKS_PER_S /
                wallS,
            );
      return { loadBefore, loadAfter: loadavg()[0] ?? Number.NaN, foreignCores: foreign };
    },
  };
}

/** Why a run is noisy (empty: quiet enough to judge goals). */
export function noisyBecause(
  startLoad: number,
  measured: readonly { readonly name: string; readonly noise: Noise }[],
): string[] {
  const reasons: string[] = [];
  if (startLoad > QUIET.startLoad)
    reasons.push(
      `load average ${startLoad.toFixed(2)} when the run started (over ${String(QUIET.startLoad)})`,
    );
  for (const { name, noise } of measured)
    if (noise.foreignCores > QUIET.foreignCores)
      reasons.push(
        `${name}: other processes used ${noise.foreignCores.toFixed(2)} cores (over ${String(QUIET.foreignCores)})`,
      );
  return reasons;
}
