/**
 * What the browser offers the app as an installed PWA, and the user's answers: install,
 * updates waiting, online or not, magnet links, notifications. Everything the browser gives
 * is injected, so components and tests see plain state.
 */

/** Chromium's install prompt event (not in TypeScript's DOM types). */
export interface InstallPromptEvent extends Event {
  prompt(): Promise<void>;
  readonly userChoice: Promise<{ outcome: 'accepted' | 'dismissed' }>;
}

export type NotificationState = NotificationPermission | 'unsupported';
export type MagnetHandlerState = 'unsupported' | 'offered' | 'asked';

export interface PwaState {
  /** The browser offered to install the app (`beforeinstallprompt`). */
  readonly installable: boolean;
  /** Running as the installed app (standalone window), or just installed. */
  readonly installed: boolean;
  /** A new service worker is installed and waits for the user to switch to it. */
  readonly updateWaiting: boolean;
  readonly online: boolean;
  readonly notifications: NotificationState;
  readonly magnetHandler: MagnetHandlerState;
}

/** The part of workbox-window's `Workbox` the store uses. */
export interface WorkerUpdates {
  addEventListener(type: 'waiting' | 'controlling', listener: () => void): void;
  messageSkipWaiting(): void;
}

export interface PwaEnvironment {
  /** Where `beforeinstallprompt`, `appinstalled`, `online` and `offline` fire (the window). */
  readonly events: EventTarget;
  isOnline(): boolean;
  isStandalone(): boolean;
  readonly updates?: WorkerUpdates;
  /** Reloads the page onto the new worker (after the user said yes). */
  reload(): void;
  /** `navigator.registerProtocolHandler`, when the browser has it. */
  registerProtocolHandler?(scheme: string, url: string): void;
  readonly notifications?: {
    permission(): NotificationPermission;
    request(): Promise<NotificationPermission>;
  };
}

/** The app address a magnet link is handed to (`%s` is the link). */
export const MAGNET_HANDLER_URL = '/?magnet=%s';

type Listener = (state: PwaState) => void;

export class PwaStore {
  private current: PwaState;
  private readonly listeners = new Set<Listener>();
  private deferredPrompt: InstallPromptEvent | null = null;
  private updating = false;

  constructor(private readonly env: PwaEnvironment) {
    this.current = {
      installable: false,
      installed: env.isStandalone(),
      updateWaiting: false,
      online: env.isOnline(),
      notifications: env.notifications ? env.notifications.permission() : 'unsupported',
      magnetHandler: env.registerProtocolHandler ? 'offered' : 'unsupported',
    };
    env.events.addEventListener('beforeinstallprompt', (event) => {
      // Keep the browser's mini-infobar away: the app shows its own button.
      event.preventDefault();
      this.deferredPrompt = event as InstallPromptEvent;
      this.set({ installable: true });
    });
    env.events.addEventListener('appinstalled', () => {
      this.deferredPrompt = null;
      this.set({ installable: false, installed: true });
    });
    env.events.addEventListener('online', () => {
      this.set({ online: true });
    });
    env.events.addEventListener('offline', () => {
      this.set({ online: false });
    });
    env.updates?.addEventListener('waiting', () => {
      this.set({ updateWaiting: true });
    });
    env.updates?.addEventListener('controlling', () => {
      // Only a switch the user asked for reloads; never a silent one mid-transfer.
      if (this.updating) env.reload();
    });
  }

  get state(): PwaState {
    return this.current;
  }

  subscribe(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private set(next: Partial<PwaState>): void {
    this.current = { ...this.current, ...next };
    for (const listener of this.listeners) listener(this.current);
  }

  /** Shows the browser's install dialog (only after `beforeinstallprompt`). */
  async install(): Promise<void> {
    const prompt = this.deferredPrompt;
    if (!prompt) return;
    // A prompt can be shown once.
    this.deferredPrompt = null;
    this.set({ installable: false });
    await prompt.prompt();
    const choice = await prompt.userChoice;
    if (choice.outcome === 'accepted') this.set({ installed: true });
  }

  /** The user agreed to switch to the new version: activate it, then reload onto it. */
  applyUpdate(): void {
    if (!this.current.updateWaiting || !this.env.updates) return;
    this.updating = true;
    this.env.updates.messageSkipWaiting();
  }

  /** "Later": the new version waits for the next time the app starts. */
  dismissUpdate(): void {
    this.set({ updateWaiting: false });
  }

  /** Asks the browser to open magnet: links with this app. */
  handleMagnets(): void {
    if (!this.env.registerProtocolHandler) return;
    try {
      this.env.registerProtocolHandler('magnet', MAGNET_HANDLER_URL);
      this.set({ magnetHandler: 'asked' });
    } catch {
      // e.g. SecurityError outside a secure context: the button goes away.
      this.set({ magnetHandler: 'unsupported' });
    }
  }

  async enableNotifications(): Promise<void> {
    if (!this.env.notifications) return;
    const answer = await this.env.notifications.request();
    this.set({ notifications: answer });
  }
}
