import { useTranslation } from 'react-i18next';
import { useCountdown } from '../hooks/use-countdown';

/** The reason a connection failed, with a live "try again in N s" when the server asked us to wait. */
export function ConnectErrorText({ message, retryUntil }: { message: string; retryUntil: number | undefined }) {
  const { t } = useTranslation();
  const seconds = useCountdown(retryUntil);
  let wait = '';
  if (retryUntil !== undefined) wait = seconds > 0 ? t('connect.retryIn', { seconds: String(seconds) }) : t('connect.retryNow');
  return (
    <p className="error" data-testid="connect-error" role="alert" data-retry-seconds={retryUntil !== undefined ? seconds : undefined}>
      {wait ? `${message} ${wait}` : message}
    </p>
  );
}
