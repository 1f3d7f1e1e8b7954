import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import type { AdminPrograms, ProgramBuild } from '@fernhilfe/protocol';
import { api } from '../api';
import { useLoad } from './use-load';

/** While a build is waiting or running, the section asks again this often. */
const POLL_MS = 5000;

/**
 * "QuickSupport programs" (GET /api/admin/programs): per platform whether a program is offered,
 * how far the first-start build is (or why it failed), its size, SHA-256, signer and build time,
 * and the public key customers check a download with.
 */
export function ProgramsSettings() {
  const { t } = useTranslation();
  const [programs, reload] = useLoad(() => api.call('adminPrograms'), []);
  const busy = programs.status === 'ready' && programs.value.builds.some((b) => b.state === 'waiting' || b.state === 'building');
  useEffect(() => {
    if (!busy) return;
    const timer = setTimeout(reload, POLL_MS);
    return () => clearTimeout(timer);
  });

  return (
    <section className="card records-card records-wide" data-testid="programs-section">
      <h2>{t('programs.heading')}</h2>
      {programs.status === 'loading' && <p className="loading">{t('records.common.loading')}</p>}
      {programs.status === 'failed' && <p className="records-status records-status--error" role="alert">{t('records.common.error', { message: programs.message })}</p>}
      {programs.status === 'ready' && <ProgramsBody value={programs.value} />}
      <button type="button" className="button programs-refresh" onClick={reload} data-testid="programs-refresh">
        {t('programs.refresh')}
      </button>
    </section>
  );
}

function ProgramsBody({ value }: { value: AdminPrograms }) {
  const { t } = useTranslation();
  return (
    <>
      <p className="hint" data-testid="programs-mode" data-mode={value.mode}>{t(`programs.hint.${value.mode}`)}</p>
      {value.publicKey ? (
        <dl className="programs-key">
          <dt>{t('programs.publicKey')}</dt>
          <dd><code data-testid="programs-public-key">{value.publicKey}</code></dd>
          <dt>{t('programs.keyId')}</dt>
          <dd><code>{value.keyId}</code></dd>
        </dl>
      ) : (
        <p className="hint">{t('programs.noKey')}</p>
      )}
      <div className="programs-builds">
        {value.builds.map((b) => <BuildCard key={b.platform} build={b} />)}
      </div>
    </>
  );
}

function BuildCard({ build: b }: { build: ProgramBuild }) {
  const { t, i18n } = useTranslation();
  const date = new Intl.DateTimeFormat(i18n.language === 'de' ? 'de-DE' : 'en-GB', { dateStyle: 'medium', timeStyle: 'short' });
  const state = b.state === 'operator' ? (b.offered ? 'offered' : 'notOffered') : b.state;
  return (
    <article className={`programs-build programs-build--${state}`} data-testid={`program-${b.platform}`} data-state={b.state}>
      <h3>{t(`programs.platform.${b.platform}`)}</h3>
      <p className="programs-state" data-testid={`program-${b.platform}-state`}>{t(`programs.state.${state}`)}</p>
      {b.failure && <p className="records-status records-status--error" role="alert">{t(`programs.failure.${b.failure.code}`, { detail: b.failure.detail })}</p>}
      {b.offered && (
        <dl>
          <dt>{t('programs.file')}</dt>
          <dd><code>{b.fileName}</code></dd>
          <dt>{t('programs.size')}</dt>
          <dd>{(b.size! / 1024 / 1024).toFixed(1)} MiB</dd>
          <dt>{t('programs.sha256')}</dt>
          <dd><code data-testid={`program-${b.platform}-sha256`}>{b.sha256}</code></dd>
          <dt>{t('programs.signer')}</dt>
          <dd><code>{b.keyId}</code></dd>
          <dt>{t('programs.built')}</dt>
          <dd>{b.built ? date.format(new Date(b.built)) : '–'}</dd>
          {b.state !== 'operator' && (
            <>
              <dt>{t('programs.server')}</dt>
              <dd>{b.serverUrl ?? t('programs.noServer')}</dd>
            </>
          )}
        </dl>
      )}
      {b.authenticode && <p className="hint" data-testid={`program-${b.platform}-windows`}>{t(`programs.windows.${b.authenticode}`)}</p>}
    </article>
  );
}
