/** Imported before webtorrent's bundle (see quick-ice.ts): evaluated first. */
import { installQuickIce } from './quick-ice.ts';

installQuickIce(window);
