import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useAppState } from '../state/context';
import { useRoute } from './route';

/** Connect · Reports · Settings (admins); hidden during a session. */
export function RecordsNav() {
  const { t } = useTranslation();
  const route = useRoute();
  const auth = useAppState((s) => s.auth);
  const session = useAppState((s) => s.session);
  if (auth.status !== 'signed-in' || session) return null;
  const links = [
    ['home', '#/', t('records.nav.connect')],
    ['queue', '#/queue', t('queue.nav')],
    ['reports', '#/reports', t('records.nav.reports')],
    ...(auth.user.role === 'admin'
      ? [
          ['accounts', '#/accounts', t('accounts.nav.accounts')],
          ['live', '#/live', t('accounts.nav.live')],
          ['settings', '#/settings', t('records.nav.settings')],
          ['recordings', '#/recordings', t('recordings.nav')],
        ]
      : []),
  ] as const;
  const current = route.page === 'report' ? 'reports' : route.page;
  return (
    <nav className="header-nav" aria-label="main">
      {links.map(([page, href, label]) => (
        <a key={page} href={href} data-testid={`nav-${page}`} aria-current={current === page ? 'page' : undefined}>
          {label}
        </a>
      ))}
    </nav>
  );
}

/** The operator's logo as an <img> (never inlined, so an SVG cannot run anything); nothing if there is none. */
export function HeaderLogo() {
  const { t } = useTranslation();
  const [missing, setMissing] = useState(false);
  if (missing) return null;
  return <img className="header-logo" src="/branding/logo" alt={t('records.logo.alt')} data-testid="header-logo" onError={() => setMissing(true)} />;
}
