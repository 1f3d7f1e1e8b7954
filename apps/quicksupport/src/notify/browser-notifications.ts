import i18next from 'i18next';
import type { Branding } from '@fernhilfe/protocol';
import type { SessionStore } from '../session-store.js';
import { RequestNotifier, type NotificationApi, type PendingRequest } from './request-notifier.js';

/** The browser's Notification, where there is one (secure contexts only). */
function browserNotifications(): NotificationApi | undefined {
  if (typeof Notification !== 'function' || !window.isSecureContext) return undefined;
  return {
    get permission() {
      return Notification.permission;
    },
    requestPermission: () => Notification.requestPermission(),
    show: (title, body, tag, onClick) => {
      const n = new Notification(title, { body, tag });
      n.onclick = () => onClick();
    },
  };
}

const say = (r: PendingRequest): string => (r.kind === 'grant' ? i18next.t(`notify.${r.what}`) : i18next.t('notify.file', { name: r.name }));

/** Starts announcing the browser-only page's requests while its tab is in the background (notify/request-notifier.ts). */
export function announceRequests(store: SessionStore, branding: Branding): void {
  const notifier = new RequestNotifier({
    notifications: browserNotifications(),
    hidden: () => document.hidden,
    focus: () => window.focus(),
    title: () => i18next.t('notify.title', { company: branding.companyName }),
    say,
  });
  const update = () => notifier.update(store.getSnapshot(), store.files.getSnapshot());
  store.subscribe(update);
  store.files.subscribe(update);
}
