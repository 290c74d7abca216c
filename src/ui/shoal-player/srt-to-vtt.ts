/**
 * SubRip (.srt) to WebVTT, for the player's text tracks: browsers read only WebVTT. The
 * conversion keeps every cue's timing and text and never lets a cue's text be read as markup
 * the WebVTT parser would act on: the styling tags both formats share (<i>, <b>, <u>) stay,
 * SubRip's <font …> and ASS-style {\an8} overrides are dropped, and any other `<` or `&` is
 * escaped, so "a < b" shows as written instead of swallowing the rest of the line.
 */

/** `[h:]mm:ss,mmm` (a `.` also accepted, and 1–3 digits of fraction) in milliseconds. */
const TIME = String.raw`(?:(\d+):)?(\d{1,2}):(\d{1,2})[,.](\d{1,3})`;
const TIMING = new RegExp(String.raw`^\s*${TIME}\s*-->\s*${TIME}`);

function millis(h: string | undefined, m: string, s: string, fraction: string): number {
  // "1,5" is half a second: the digits are a decimal fraction, not a count of milliseconds.
  const ms = Number(fraction.padEnd(3, '0'));
  return ((Number(h ?? 0) * 60 + Number(m)) * 60 + Number(s)) * 1000 + ms;
}

/** A WebVTT timestamp, `hh:mm:ss.mmm`. */
export function vttTime(totalMs: number): string {
  const two = (n: number) => String(n).padStart(2, '0');
  const ms = totalMs % 1000;
  const s = Math.floor(totalMs / 1000) % 60;
  const m = Math.floor(totalMs / 60_000) % 60;
  const h = Math.floor(totalMs / 3_600_000);
  return `${two(h)}:${two(m)}:${two(s)}.${String(ms).padStart(3, '0')}`;
}

const KEPT_TAG = /^<\/?[ibu]>/i;
const DROPPED_TAG = /^<\/?font(?:\s[^>]*)?>/i;
const ENTITY = /^&(?:[a-z]+|#\d+|#x[0-9a-f]+);/i;

/** One line of cue text, made safe for the WebVTT cue text parser. */
export function cueText(line: string): string {
  const text = line.replace(/\{\\[^}]*\}/g, '');
  let out = '';
  for (let i = 0; i < text.length;) {
    const rest = text.slice(i);
    const kept = KEPT_TAG.exec(rest) ?? ENTITY.exec(rest);
    if (kept) {
      out += kept[0].startsWith('&') ? kept[0] : kept[0].toLowerCase();
      i += kept[0].length;
      continue;
    }
    const dropped = DROPPED_TAG.exec(rest);
    if (dropped) {
      i += dropped[0].length;
      continue;
    }
    const ch = text.charAt(i);
    // `>` too: "-->" in cue text would end the cue for the WebVTT parser.
    out += ch === '<' ? '&lt;' : ch === '>' ? '&gt;' : ch === '&' ? '&amp;' : ch;
    i += 1;
  }
  return out;
}

interface Cue {
  readonly startMs: number;
  readonly endMs: number;
  readonly lines: string[];
}

/** The cues of a SubRip text, in file order; blocks with no timing line continue the cue before. */
export function parseSrt(srt: string): Cue[] {
  const lines = srt.replace(/^\uFEFF/, '').split(/\r\n|\r|\n/);
  const cues: Cue[] = [];
  let current: Cue | null = null;
  let blank = true;
  for (const line of lines) {
    const timing = TIMING.exec(line);
    if (timing) {
      const [, h1, m1 = '', s1 = '', f1 = '', h2, m2 = '', s2 = '', f2 = ''] = timing;
      current = { startMs: millis(h1, m1, s1, f1), endMs: millis(h2, m2, s2, f2), lines: [] };
      cues.push(current);
      // The cue's number, on the line before its timing, was taken for text: it is not.
      const previous = cues.at(-2);
      if (previous && !blank && /^\s*\d+\s*$/.test(previous.lines.at(-1) ?? '')) {
        previous.lines.pop();
      }
      blank = false;
      continue;
    }
    if (line.trim() === '') {
      blank = true;
      continue;
    }
    // A number alone after a blank line is the next cue's index, not text.
    if (blank && /^\s*\d+\s*$/.test(line)) {
      blank = false;
      continue;
    }
    blank = false;
    current?.lines.push(line.trim());
  }
  return cues;
}

/** The WebVTT document with the cues of `srt`; cues that end before they start are left out. */
export function srtToVtt(srt: string): string {
  const blocks = parseSrt(srt)
    .filter((cue) => cue.endMs >= cue.startMs)
    .map(
      (cue) =>
        `${vttTime(cue.startMs)} --> ${vttTime(cue.endMs)}\n${cue.lines.map(cueText).join('\n')}`,
    );
  return ['WEBVTT', ...blocks].join('\n\n') + '\n';
}

/** Whether a subtitle text is WebVTT already (its signature line), else it is taken for SubRip. */
export const isWebVtt = (text: string): boolean => /^\uFEFF?WEBVTT(?:[ \t\n\r]|$)/.test(text);

/** A subtitle text as WebVTT: WebVTT as it is, SubRip converted. */
export const asWebVtt = (text: string): string => (isWebVtt(text) ? text : srtToVtt(text));
