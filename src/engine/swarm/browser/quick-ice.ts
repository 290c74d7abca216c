/**
 * Offers and answers without waiting for the end of ICE gathering when there is nothing to
 * wait for.
 *
 * The WebSocket tracker protocol carries one offer and one answer per connection, so the
 * tracker client's peers wait until gathering completes before they send either
 * (`trickle: false`). With no STUN or TURN server, every candidate a browser can offer is a
 * host candidate, known within milliseconds; Chromium still reports gathering complete only
 * after a TCP candidate phase, ~120 ms later on each side (GUIDE §4: first wire ~250 ms
 * instead of the ~100 ms two tabs need). Here a peer connection configured without ICE
 * servers ends its gathering `graceMs` after its first candidate: the SDP it sends then
 * holds the UDP host candidates. With ICE servers configured, nothing changes (reflexive
 * and relay candidates take longer and are what a NAT needs).
 *
 * webtorrent's browser bundle takes `RTCPeerConnection` from the window when it is
 * evaluated, so this must be installed before that bundle is imported.
 */

export const DEFAULT_GRACE_MS = 15;

/** Whether a configuration can only ever gather host candidates. */
export const hostCandidatesOnly = (config: RTCConfiguration | undefined): boolean =>
  (config?.iceServers ?? []).length === 0;

type IceHandler = ((this: RTCPeerConnection, event: RTCPeerConnectionIceEvent) => unknown) | null;

/** A subclass of `Native` whose gathering ends early for host-only configurations. */
export function quickIcePeerConnection(
  Native: typeof RTCPeerConnection,
  graceMs = DEFAULT_GRACE_MS,
): typeof RTCPeerConnection {
  return class QuickIcePeerConnection extends Native {
    #handler: IceHandler = null;
    #quick: boolean;
    #ended = false;
    #timer: ReturnType<typeof setTimeout> | null = null;

    constructor(config?: RTCConfiguration) {
      super(config);
      this.#quick = hostCandidatesOnly(config);
      // A new round of gathering (an offer rolled back and an answer made instead, an ICE
      // restart) ends early again.
      if (typeof this.addEventListener === 'function')
        this.addEventListener('icegatheringstatechange', () => {
          if (this.iceGatheringState !== 'gathering') return;
          if (this.#timer !== null) clearTimeout(this.#timer);
          this.#timer = null;
          this.#ended = false;
        });
    }

    override get onicecandidate(): IceHandler {
      return this.#handler;
    }

    override set onicecandidate(handler: IceHandler) {
      this.#handler = handler;
      if (handler === null) {
        if (this.#timer !== null) clearTimeout(this.#timer);
        super.onicecandidate = null;
        return;
      }
      const end = (): void => {
        this.#ended = true;
        handler.call(this, new RTCPeerConnectionIceEvent('icecandidate', { candidate: null }));
      };
      super.onicecandidate = (event: RTCPeerConnectionIceEvent) => {
        if (event.candidate === null) {
          if (this.#timer !== null) clearTimeout(this.#timer);
          // The real end, unless an early one was sent already.
          if (!this.#ended) end();
          return;
        }
        if (this.#quick && this.#timer === null && !this.#ended)
          this.#timer = setTimeout(() => {
            if (!this.#ended) end();
          }, graceMs);
        handler.call(this, event);
      };
    }
  };
}

/** Puts the quick-gathering class in the window's place (once). */
export function installQuickIce(scope: { RTCPeerConnection?: typeof RTCPeerConnection }): void {
  const Native = scope.RTCPeerConnection;
  if (!Native || (Native as { quickIce?: true }).quickIce) return;
  const Quick = quickIcePeerConnection(Native);
  Object.defineProperty(Quick, 'quickIce', { value: true });
  scope.RTCPeerConnection = Quick;
}
