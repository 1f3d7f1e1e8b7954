import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { AdminTerms } from '@fernhilfe/protocol';
import { api } from '../api';
import { StatusLine, type FormStatus } from './Status';
import { describe } from './use-load';

/** The terms in German and English (Markdown); each saved change is a new version (SHA-256). */
export function TermsSettings({ initial, onSaved }: { initial: AdminTerms; onSaved(): void }) {
  const { t, i18n } = useTranslation();
  const [texts, setTexts] = useState(initial.current.text);
  const [status, setStatus] = useState<FormStatus>({ kind: 'idle' });
  const date = new Intl.DateTimeFormat(i18n.language === 'de' ? 'de-DE' : 'en-GB', { dateStyle: 'medium', timeStyle: 'short' });

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setStatus({ kind: 'busy' });
    try {
      const { version, changed } = await api.call('saveTerms', { body: texts });
      setStatus({ kind: 'done', text: t(changed ? 'records.terms.newVersion' : 'records.terms.unchanged', { version: version.slice(0, 12) }) });
      onSaved();
    } catch (err) {
      setStatus({ kind: 'error', ...describe(err) });
    }
  };

  const earlier = initial.versions.filter((v) => !v.current);
  return (
    <form className="card records-card records-terms" onSubmit={(e) => void submit(e)} data-testid="terms-form">
      <h2>{t('records.terms.heading')}</h2>
      <p className="hint">{t('records.terms.hint')}</p>
      {(['de', 'en'] as const).map((lang) => (
        <label className="field" key={lang}>
          <span>{t(`records.terms.${lang}`)}</span>
          <textarea rows={10} spellCheck data-testid={`terms-${lang}`} value={texts[lang]} onChange={(e) => setTexts((x) => ({ ...x, [lang]: e.target.value }))} />
        </label>
      ))}
      <p className="records-version">
        {t('records.terms.version')}: <code data-testid="terms-version">{initial.current.version}</code>
      </p>
      <button type="submit" className="button button--primary" data-testid="terms-save" disabled={status.kind === 'busy'}>
        {t('records.common.save')}
      </button>
      <StatusLine status={status} testId="terms-status" />
      {earlier.length > 0 && (
        <details>
          <summary>{t('records.terms.versions')}</summary>
          <ul className="records-versions">
            {earlier.map((v) => (
              <li key={v.version}>
                <code>{v.version}</code> – {date.format(v.createdAt)}
              </li>
            ))}
          </ul>
        </details>
      )}
    </form>
  );
}
