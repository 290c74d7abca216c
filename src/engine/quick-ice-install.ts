/**
 * Imported before webtorrent's bundle (see quick-ice.ts and warm-start.ts): evaluated first,
 * so that the bundle takes these constructors from the window.
 */
import { installQuickIce } from './quick-ice.ts';
import { installWarmStart } from './warm-start.ts';

installQuickIce(window);
installWarmStart(window);
