import { useTranslation } from 'react-i18next';
import { currentLanguage } from '../i18n/index.js';

/**
 * Opens the session's signed receipt (printable page, JSON to save) in a new tab. The token goes in
 * the URL fragment, so it reaches neither a server log nor a Referer header.
 */
export function ReceiptLink({ token, url }: { token: string | undefined; url?: string | undefined }) {
  const { t, i18n } = useTranslation();
  const href = receiptHref(token, url, currentLanguage(i18n));
  if (!href) return null;
  return (
    <p className="summary-receipt">
      <a className="button button-large" href={href} target="_blank" rel="noopener noreferrer" data-testid="show-receipt">
        {t('summary.receipt')}
      </a>
      <span className="summary-receipt-hint">{t('summary.receiptHint')}</span>
    </p>
  );
}

/**
 * The receipt's address: on the server's own page a relative link; in agent mode (the page is served
 * by the agent on 127.0.0.1) the absolute address on the support server the agent reports.
 */
export function receiptHref(token: string | undefined, url: string | undefined, lang: string): string | undefined {
  if (url) {
    let parsed: URL;
    try {
      parsed = new URL(url);
    } catch {
      return undefined;
    }
    if ((parsed.protocol !== 'https:' && parsed.protocol !== 'http:') || parsed.pathname !== '/receipt' || !/^#token=[0-9a-f]{64}$/.test(parsed.hash)) return undefined;
    parsed.search = `?lang=${lang}`;
    return parsed.href;
  }
  if (!token || !/^[0-9a-f]{64}$/.test(token)) return undefined;
  return `/receipt?lang=${lang}#token=${token}`;
}
