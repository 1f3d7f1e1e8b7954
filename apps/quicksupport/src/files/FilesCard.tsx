import { useRef, useSyncExternalStore } from 'react';
import { useTranslation } from 'react-i18next';
import { formatBytes } from '@fernhilfe/client';
import type { FilesPort } from './page-files.js';
import { TransferRow } from './TransferRow.js';
import './files.css';

/**
 * Files on the customer's page: each offer asks with big Accept / Refuse buttons (who sends, name,
 * size); the technician's request with its message; "Send a file to the technician"; the list.
 * The same card in the browser (PageFiles) and as the native agent's face (AgentPageFiles).
 */
export function FilesCard({ files, technician }: { files: FilesPort; technician?: string }) {
  const { t, i18n } = useTranslation();
  const state = useSyncExternalStore(files.subscribe, files.getSnapshot);
  const input = useRef<HTMLInputElement>(null);
  const who = technician ?? t('files.technician');
  return (
    <section className="card files" data-testid="files-card">
      <h2>{t('files.heading')}</h2>
      {state.offers.map((offer) => (
        <div key={offer.transferId} className="file-offer" data-testid="file-offer" role="alertdialog" aria-labelledby={`offer-${offer.transferId}`}>
          <p className="file-offer-title" id={`offer-${offer.transferId}`}>
            {t('files.offer', { who })}
          </p>
          <dl className="file-offer-facts">
            <dt>{t('files.offerName')}</dt>
            <dd data-testid="file-offer-name">{offer.name}</dd>
            <dt>{t('files.offerSize')}</dt>
            <dd data-testid="file-offer-size">{formatBytes(offer.size, i18n.language)}</dd>
          </dl>
          <p className="file-offer-hint">{state.folder ? t('files.offerHintFolder', { folder: state.folder }) : t('files.offerHint')}</p>
          <div className="file-offer-buttons">
            <button type="button" className="button button-primary button-big" data-testid="file-accept" onClick={() => void files.accept(offer.transferId)}>
              {t('files.accept')}
            </button>
            <button type="button" className="button button-big" data-testid="file-refuse" onClick={() => files.refuse(offer.transferId)}>
              {t('files.refuse')}
            </button>
          </div>
        </div>
      ))}
      {state.request !== undefined && (
        <div className="file-request" data-testid="file-request" role="status">
          <p>{t('files.request', { who })}</p>
          {state.request && <blockquote data-testid="file-request-message">{state.request}</blockquote>}
          <p className="file-offer-hint">{t('files.requestHint')}</p>
        </div>
      )}
      {state.problem && (
        <p className="notice notice-warning" data-testid="file-problem" role="alert">
          {t(`files.reason.${state.problem}`)}
        </p>
      )}
      <button type="button" className="button" data-testid="file-send" onClick={() => input.current?.click()}>
        {t('files.send')}
      </button>
      <input
        ref={input}
        type="file"
        multiple
        hidden
        data-testid="file-input"
        onChange={(e) => {
          if (e.target.files) files.send(e.target.files);
          e.target.value = '';
        }}
      />
      {state.transfers.length === 0 ? (
        <p className="files-empty">{t('files.empty')}</p>
      ) : (
        <ul className="transfers" data-testid="transfers">
          {[...state.transfers].reverse().map((info) => (
            <TransferRow key={info.transferId} info={info} onCancel={() => files.cancel(info.transferId)} />
          ))}
        </ul>
      )}
    </section>
  );
}
