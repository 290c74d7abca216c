// The torrent the PWA tests launch, share and show (pwa.test.ts, launch-share.test.ts).
export const HASH = 'd2474e86c95b19b8bcfdb92bc12c9d44667cfa36';
export const MAGNET = `magnet:?xt=urn:btih:${HASH}&dn=Leaves+of+Grass`;
