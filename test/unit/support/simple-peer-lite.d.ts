// simple-peer as webtorrent's tracker client uses it (webtorrent bundles the same 10.1.2): the
// neighbour tests make real connections with it. Typed where a test reads it.
declare module '@thaunknown/simple-peer/lite.js' {
  const Peer: new (opts: {
    initiator: boolean;
    trickle: boolean;
    config: RTCConfiguration;
  }) => object;
  export default Peer;
}
