import { formatCustomerId } from '@fernhilfe/protocol';
import { useTranslation } from 'react-i18next';
import { CopyButton } from './CopyButton.js';

/** The ID and the one-time password, large, to read out on the phone. */
export function Credentials({ id, password, rotated }: { id: string; password: string | undefined; rotated: boolean }) {
  const { t } = useTranslation();
  return (
    <section className="card credentials" aria-labelledby="credentials-heading">
      <h2 id="credentials-heading">{t('credentials.heading')}</h2>
      <div className="credential">
        <span className="credential-label">{t('credentials.id')}</span>
        <span className="credential-value credential-id" data-testid="customer-id">
          {formatCustomerId(id)}
        </span>
        <CopyButton value={id} label={t('credentials.copyId')} testId="copy-id" />
      </div>
      {password && (
        <div className="credential">
          <span className="credential-label">{rotated ? t('credentials.newPassword') : t('credentials.password')}</span>
          <span className={`credential-value credential-password${rotated ? ' credential-new' : ''}`} data-testid="customer-password">
            {password}
          </span>
          <CopyButton value={password} label={t('credentials.copyPassword')} testId="copy-password" />
        </div>
      )}
    </section>
  );
}
