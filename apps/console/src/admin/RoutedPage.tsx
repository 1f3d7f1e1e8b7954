import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { ReportsPage } from '../reports/ReportsPage';
import { SessionDetail } from '../reports/SessionDetail';
import { useAppState } from '../state/context';
import { AccountsPage } from './AccountsPage';
import { AdminPage } from './AdminPage';
import { LivePage } from './LivePage';
import { useRoute } from './route';
import { QueuePage } from '../queue/QueuePage';
import { RecordingsPage } from '../recordings/RecordingsPage';

/** Signed in, no session: the page the URL fragment names (`#/reports`, `#/settings`, …), else `home`. */
export function RoutedPage({ home }: { home: ReactNode }) {
  const { t } = useTranslation();
  const route = useRoute();
  const auth = useAppState((s) => s.auth);
  const isAdmin = auth.status === 'signed-in' && auth.user.role === 'admin';
  switch (route.page) {
    case 'settings':
      return isAdmin ? <AdminPage /> : <p className="card" role="alert">{t('records.common.forbidden')}</p>;
    case 'accounts':
      return isAdmin ? <AccountsPage /> : <p className="card" role="alert">{t('records.common.forbidden')}</p>;
    case 'live':
      return isAdmin ? <LivePage /> : <p className="card" role="alert">{t('records.common.forbidden')}</p>;
    case 'reports':
      return <ReportsPage />;
    case 'report':
      return <SessionDetail sessionId={route.sessionId} />;
    case 'queue':
      return <QueuePage />;
    case 'recordings':
      return isAdmin ? <RecordingsPage /> : <p className="card" role="alert">{t('records.common.forbidden')}</p>;
    case 'home':
      return home;
  }
}
