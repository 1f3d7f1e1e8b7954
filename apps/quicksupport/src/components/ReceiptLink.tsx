import { useTranslation } from 'react-i18next';
import { currentLanguage } from '../i18n/index.js';

/**
 * Opens the session's signed receipt (printable page, JSON to save) in a new tab. The token goes in
 * the URL fragment, so it reaches neither a server log nor a Referer header.
 */
export function ReceiptLink({ token }: { token: string | undefined }) {
  const { t, i18n } = useTranslation();
  if (!token || !/^[0-9a-f]{64}$/.test(token)) return null;
  return (
    <p className="summary-receipt">
      <a className="button button-large" href={`/receipt?lang=${currentLanguage(i18n)}#token=${token}`} target="_blank" rel="noopener noreferrer" data-testid="show-receipt">
        {t('summary.receipt')}
      </a>
      <span className="summary-receipt-hint">{t('summary.receiptHint')}</span>
    </p>
  );
}
