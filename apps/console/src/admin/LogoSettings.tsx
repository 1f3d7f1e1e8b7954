import type { LogoType } from '@fernhilfe/protocol';
import { useState, type ChangeEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../api';
import { StatusLine, type FormStatus } from './Status';
import { describe } from './use-load';

const TYPES: Record<string, LogoType> = { 'image/png': 'image/png', 'image/svg+xml': 'image/svg+xml' };

/** Upload (PNG or SVG; the server sanitises SVG) and remove; shown only as <img>, never inlined. */
export function LogoSettings() {
  const { t } = useTranslation();
  const [version, setVersion] = useState(() => Date.now());
  const [missing, setMissing] = useState(false);
  const [status, setStatus] = useState<FormStatus>({ kind: 'idle' });

  const upload = async (e: ChangeEvent<HTMLInputElement>) => {
    const file = e.target.files?.[0];
    e.target.value = '';
    if (!file) return;
    const type = TYPES[file.type] ?? (file.name.toLowerCase().endsWith('.svg') ? 'image/svg+xml' : undefined);
    if (!type) return setStatus({ kind: 'error', code: 'invalid', message: t('records.logo.wrongType') });
    setStatus({ kind: 'busy' });
    try {
      const bytes = new Uint8Array(await file.arrayBuffer());
      let binary = '';
      for (const b of bytes) binary += String.fromCharCode(b);
      await api.call('uploadLogo', { body: { type, data: btoa(binary) } });
      setMissing(false);
      setVersion(Date.now());
      setStatus({ kind: 'done', text: t('records.common.saved') });
    } catch (err) {
      setStatus({ kind: 'error', ...describe(err) });
    }
  };

  const remove = async () => {
    try {
      await api.call('removeLogo');
      setVersion(Date.now());
      setStatus({ kind: 'done', text: t('records.common.saved') });
    } catch (err) {
      setStatus({ kind: 'error', ...describe(err) });
    }
  };

  return (
    <section className="card records-card" data-testid="logo-settings">
      <h2>{t('records.logo.heading')}</h2>
      <p className="hint">{t('records.logo.hint')}</p>
      <div className="records-logo">
        {missing ? (
          <span className="hint">{t('records.logo.none')}</span>
        ) : (
          <img key={version} src={`/branding/logo?v=${version}`} alt={t('records.logo.alt')} data-testid="logo-preview" onError={() => setMissing(true)} onLoad={() => setMissing(false)} />
        )}
      </div>
      <div className="buttons">
        <label className="button records-file">
          {t('records.logo.choose')}
          <input type="file" accept="image/png,image/svg+xml,.svg,.png" data-testid="logo-file" onChange={(e) => void upload(e)} />
        </label>
        {!missing && (
          <button type="button" className="button" data-testid="logo-remove" onClick={() => void remove()}>
            {t('records.logo.remove')}
          </button>
        )}
      </div>
      <StatusLine status={status} testId="logo-status" />
    </section>
  );
}
