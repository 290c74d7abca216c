/**
 * One torrent's priority plan, made of what the stream steering wants (the playhead windows,
 * whether the rest is fetched, the strategy) and what peer assist adds (the next item's
 * prefetch, the random first piece), written whole through the port's one writer
 * (`SwarmTorrent.applyPriorities`) whenever either part changes.
 */
import type { PieceRange } from '../policy/playhead-window.ts';
import { IDLE_PRIORITIES, type PriorityPlan, type SwarmTorrent } from '../swarm/port.ts';

/** What the steering asks for: its windows, the rest or not, the order. */
export interface SteeringPart {
  readonly window: readonly PieceRange[];
  readonly fillRest: boolean;
  readonly strategy: PriorityPlan['strategy'];
}

const sameRange = (a: PieceRange | null, b: PieceRange | null): boolean =>
  a === b || (a !== null && b !== null && a.from === b.from && a.to === b.to);

export class Priorities {
  private steering: SteeringPart = {
    window: IDLE_PRIORITIES.windows,
    fillRest: IDLE_PRIORITIES.fillRest,
    strategy: IDLE_PRIORITIES.strategy,
  };
  private prefetched: PieceRange | null = null;

  constructor(private readonly swarm: Pick<SwarmTorrent, 'applyPriorities'>) {}

  /** The steering's plan, and the pieces a player waits for now. */
  steer(part: SteeringPart, critical: readonly PieceRange[]): void {
    this.steering = part;
    this.write(critical);
  }

  /** The next item's pieces, fetched from peers ahead of the rest (null: none). */
  prefetch(range: PieceRange | null): void {
    if (sameRange(range, this.prefetched)) return;
    this.prefetched = range;
    this.write([]);
  }

  /** Pieces requested now, ahead of everything (the random first piece). */
  critical(range: PieceRange): void {
    this.write([range]);
  }

  private write(critical: readonly PieceRange[]): void {
    const { window, fillRest, strategy } = this.steering;
    this.swarm.applyPriorities({
      windows: this.prefetched ? [...window, this.prefetched] : window,
      fillRest,
      critical,
      strategy,
    });
  }
}

const ofSwarm = new WeakMap<object, Priorities>();

/** The one Priorities of a live torrent. */
export function prioritiesOf(swarm: SwarmTorrent): Priorities {
  let priorities = ofSwarm.get(swarm);
  if (!priorities) {
    priorities = new Priorities(swarm);
    ofSwarm.set(swarm, priorities);
  }
  return priorities;
}
