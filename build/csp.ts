// The built app's Content-Security-Policy, as a <meta> in index.html (the dev server injects
// inline scripts of its own, so it is the build's only). Scripts, styles, workers and the
// manifest come from the app's origin alone: no inline script, no eval. Connections go to the
// origin, to WebSocket trackers and to HTTP(S) web seeds, whose hosts are the user's and the
// torrents' (settings and magnets name them at run time), so only their schemes are fixed.
// WebRTC is not governed by CSP.
import type { Plugin } from 'vite';

export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  // The share card's QR code is a data: image; saved files and previews may be blob: URLs.
  "img-src 'self' data: blob:",
  "media-src 'self' blob:",
  "connect-src 'self' ws: wss: http: https:",
  "worker-src 'self'",
  "manifest-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  // Code-running DOM sinks take only Trusted Types: Lit's own policy, and the app's default
  // (src/trusted-types.ts: script URLs of its own origin, nothing else).
  "require-trusted-types-for 'script'",
  'trusted-types lit-html default',
].join('; ');

/** Puts the policy in the built index.html, first in <head>. */
export function contentSecurityPolicy(): Plugin {
  return {
    name: 'shoal-content-security-policy',
    apply: 'build',
    transformIndexHtml: {
      order: 'post',
      handler: () => [
        {
          tag: 'meta',
          attrs: { 'http-equiv': 'Content-Security-Policy', content: CONTENT_SECURITY_POLICY },
          injectTo: 'head-prepend',
        },
      ],
    },
  };
}
