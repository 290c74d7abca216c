// The fuzz suites' shared settings and mutations, for the browser suites (test/unit) and the
// tracker's (test/e2e, in Node). `npm test` runs each property with a fixed seed and a small
// run count, so a failure is the same failure on every machine; `npm run fuzz` (FUZZ_RUNS,
// FUZZ_SEED) runs them longer. fast-check prints the seed and the shrunk counterexample of
// any failure: add it to the suite's regression examples.
import fc from 'fast-check';

/** Vite hands the browser VITE_-prefixed variables; Node has its own environment. */
const env: Record<string, string | undefined> =
  (import.meta as { env?: Record<string, string | undefined> }).env ??
  (globalThis as { process?: { env: Record<string, string | undefined> } }).process?.env ??
  {};
const FIXED_SEED = 25;

const positive = (text: string | undefined): number | null => {
  const value = Number(text);
  return Number.isInteger(value) && value > 0 ? value : null;
};

/** Runs asked for on the command line, else none: each suite's own count. */
const askedRuns = positive(env.VITE_FUZZ_RUNS ?? env.FUZZ_RUNS);

/** fast-check parameters for one property: `runs` unless a longer run was asked for. */
export function fuzzParams<T>(runs: number): fc.Parameters<T> {
  const seed = Number(env.VITE_FUZZ_SEED ?? env.FUZZ_SEED ?? FIXED_SEED);
  return {
    seed: Number.isInteger(seed) ? seed : FIXED_SEED,
    numRuns: askedRuns ?? runs,
    includeErrorInReport: true,
  };
}

/** Mocha's timeout for a suite: its usual one, or none for a long run on demand. */
export const fuzzTimeoutMs = askedRuns === null ? 20_000 : 0;

/**
 * Characters that mean something to the parsers under test (URL and magnet syntax, bencode,
 * HTTP ranges, JSON) or that break naive string handling (a lone surrogate, a NUL, a
 * non-BMP character): a mutation draws from these as often as from any character.
 */
const SHARP = [
  // One UTF-16 unit each, so Array.from splits them as written.
  ...Array.from('%&=?#:/\\+-,;.0123456789ideLl" {}[]\n\r\t\u0000\u00e9\u202e\ufeff'),
  '\ud800',
  '\udfff',
  '\u{1f600}',
];

const sharpChar = fc.oneof(fc.constantFrom(...SHARP), fc.string({ minLength: 1, maxLength: 1 }));

/** One edit of a string: a character inserted, replaced or deleted; a slice dropped, doubled or cut off. */
const edit = (text: string): fc.Arbitrary<string> => {
  const at = fc.nat({ max: text.length });
  return fc.oneof(
    fc.tuple(at, sharpChar).map(([i, c]) => text.slice(0, i) + c + text.slice(i)),
    fc.tuple(at, sharpChar).map(([i, c]) => text.slice(0, i) + c + text.slice(i + 1)),
    at.map((i) => text.slice(0, i) + text.slice(i + 1)),
    fc.tuple(at, at).map(([a, b]) => text.slice(0, Math.min(a, b)) + text.slice(Math.max(a, b))),
    fc.tuple(at, at).map(([a, b]) => text.slice(0, Math.max(a, b)) + text.slice(Math.min(a, b))),
    at.map((i) => text.slice(0, i)),
  );
};

/** A valid input with 1–`maxEdits` random edits: near misses, where parsers go wrong. */
export function mutated(valid: fc.Arbitrary<string>, maxEdits = 4): fc.Arbitrary<string> {
  return fc.tuple(valid, fc.integer({ min: 1, max: maxEdits })).chain(([text, edits]) => {
    let result: fc.Arbitrary<string> = fc.constant(text);
    for (let i = 0; i < edits; i++) result = result.chain(edit);
    return result;
  });
}

/** A byte array with 1–`maxEdits` edits: bytes flipped, inserted, deleted, or the tail cut. */
export function mutatedBytes(
  valid: fc.Arbitrary<Uint8Array>,
  maxEdits = 3,
): fc.Arbitrary<Uint8Array> {
  const latin1 = (bytes: Uint8Array): string =>
    Array.from(bytes, (b) => String.fromCharCode(b)).join('');
  const back = (text: string): Uint8Array => Uint8Array.from(text, (c) => c.charCodeAt(0) & 0xff);
  return mutated(valid.map(latin1), maxEdits).map(back);
}
