/**
 * Imported before webtorrent's bundle (see quick-ice.ts, warm-start.ts and
 * channel-buffer.ts): evaluated first, so that the bundle takes these constructors from the
 * window and its channels keep a deeper send buffer.
 */
import { installChannelBuffer } from './channel-buffer.ts';
import { installQuickIce } from './quick-ice.ts';
import { installWarmStart } from './warm-start.ts';

installQuickIce(window);
installWarmStart(window);
if (typeof RTCDataChannel === 'function') installChannelBuffer(RTCDataChannel.prototype);
