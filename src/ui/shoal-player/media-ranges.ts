/** Small pure helpers of the player: clock text, ranges as fractions, what a key does. */

export interface Fraction {
  readonly start: number;
  readonly end: number;
}

/** `m:ss`, or `h:mm:ss` past an hour; '-:--' while unknown. */
export function formatClock(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds < 0) return '-:--';
  const whole = Math.floor(seconds);
  const s = String(whole % 60).padStart(2, '0');
  const minutes = Math.floor(whole / 60);
  if (minutes < 60) return `${String(minutes)}:${s}`;
  return `${String(Math.floor(minutes / 60))}:${String(minutes % 60).padStart(2, '0')}:${s}`;
}

/** A media element's `buffered` (or `played`) ranges as fractions of its duration. */
export function timeRangeFractions(
  ranges: Pick<TimeRanges, 'length' | 'start' | 'end'>,
  durationS: number,
): Fraction[] {
  if (!Number.isFinite(durationS) || durationS <= 0) return [];
  const fractions: Fraction[] = [];
  for (let i = 0; i < ranges.length; i++) {
    const start = Math.max(0, Math.min(1, ranges.start(i) / durationS));
    const end = Math.max(0, Math.min(1, ranges.end(i) / durationS));
    if (end > start) fractions.push({ start, end });
  }
  return fractions;
}

export type PlayerAction =
  | { readonly kind: 'toggle-play' }
  | { readonly kind: 'seek-by'; readonly seconds: number }
  | { readonly kind: 'toggle-mute' }
  | { readonly kind: 'toggle-fullscreen' };

/** The player's keyboard shortcuts (YouTube's): null for a key it leaves alone. */
export function actionForKey(key: string): PlayerAction | null {
  switch (key) {
    case ' ':
    case 'k':
    case 'K':
      return { kind: 'toggle-play' };
    case 'ArrowLeft':
      return { kind: 'seek-by', seconds: -5 };
    case 'ArrowRight':
      return { kind: 'seek-by', seconds: 5 };
    case 'j':
    case 'J':
      return { kind: 'seek-by', seconds: -10 };
    case 'l':
    case 'L':
      return { kind: 'seek-by', seconds: 10 };
    case 'm':
    case 'M':
      return { kind: 'toggle-mute' };
    case 'f':
    case 'F':
      return { kind: 'toggle-fullscreen' };
    default:
      return null;
  }
}
