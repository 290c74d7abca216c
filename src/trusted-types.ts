/**
 * Trusted Types for the built app (its CSP says `require-trusted-types-for 'script'`; see
 * build/csp.ts): a string reaches a DOM sink that runs code only through a policy. Lit renders
 * through its own `lit-html` policy (templates only, never a value as HTML). This `default`
 * policy is the one the browser falls back to for the rest, and it allows a single thing:
 * a script URL of the app's own origin (its workers, its service worker). Anything else, an
 * HTML string for `innerHTML` or a script from elsewhere, is refused. Imported first by
 * main.ts, before anything could use a sink.
 */
interface TrustedTypesFactory {
  createPolicy(name: string, rules: { createScriptURL?: (url: string) => string }): unknown;
}

/** The script URL if it is of `origin`; throws otherwise. */
export function sameOriginScriptUrl(url: string, base: string): string {
  const parsed = new URL(url, base);
  if (parsed.origin !== new URL(base).origin)
    throw new TypeError(`Refused to load a script from ${parsed.origin}: only this app's own run.`);
  return url;
}

const factory = (globalThis as { trustedTypes?: TrustedTypesFactory }).trustedTypes;
factory?.createPolicy('default', {
  createScriptURL: (url) => sameOriginScriptUrl(url, location.href),
});
