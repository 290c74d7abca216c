// bittorrent-protocol as webtorrent 3.0.21 bundles it (5.0.9): the wire-guard tests feed a
// real wire what a hostile peer sends. Typed where a test reads it.
declare module 'bittorrent-protocol' {
  const Wire: new () => object;
  export default Wire;
}
