import { DEFAULT_SETTINGS, mergeSettings, type Settings } from './settings.ts';

const KEY = 'shoal.settings';

/** The user's settings from localStorage, merged over the defaults. */
export function loadSettings(storage: Storage = localStorage): Settings {
  let saved: unknown = null;
  try {
    const raw = storage.getItem(KEY);
    saved = raw === null ? null : (JSON.parse(raw) as unknown);
  } catch {
    saved = null;
  }
  return mergeSettings(DEFAULT_SETTINGS, saved);
}

export function saveSettings(settings: Settings, storage: Storage = localStorage): void {
  storage.setItem(KEY, JSON.stringify(settings));
}
