import { useRef, useState, type DragEvent, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { useStore } from '../state/use-store';
import type { ConsoleFiles } from './console-files';
import { formatBytes } from '@fernhilfe/client';
import { TransferRow } from './TransferRow';
import './files.css';

/** Send files (drop zone or picker), ask the customer for one, save what comes, and the list of transfers. */
export function FilesPanel({ files }: { files: ConsoleFiles }) {
  const { t, i18n } = useTranslation();
  const transfers = useStore(files.store, (s) => s.transfers);
  const offers = useStore(files.store, (s) => s.offers);
  const problem = useStore(files.store, (s) => s.problem);
  const asked = useStore(files.store, (s) => s.asked);
  const [dragging, setDragging] = useState(false);
  const [message, setMessage] = useState('');
  const input = useRef<HTMLInputElement>(null);

  function drop(event: DragEvent) {
    event.preventDefault();
    setDragging(false);
    files.send(event.dataTransfer.files);
  }

  function ask(event: FormEvent) {
    event.preventDefault();
    void files.ask(message.trim());
    setMessage('');
  }

  return (
    <section className="files" data-testid="files-panel">
      <h2>{t('files.heading')}</h2>
      {files.maySend ? (
        <div
          className={dragging ? 'files-drop files-drop--over' : 'files-drop'}
          data-testid="files-drop"
          onDragOver={(e) => {
            e.preventDefault();
            setDragging(true);
          }}
          onDragLeave={() => setDragging(false)}
          onDrop={drop}
        >
          <p>{t('files.drop')}</p>
          <button type="button" className="button" onClick={() => input.current?.click()}>
            {t('files.pick')}
          </button>
          <input
            ref={input}
            type="file"
            multiple
            hidden
            data-testid="files-input"
            onChange={(e) => {
              if (e.target.files) files.send(e.target.files);
              e.target.value = '';
            }}
          />
        </div>
      ) : (
        <p className="notice">{t('files.notAllowed')}</p>
      )}
      {problem && <p className="notice notice-warning">{t(`files.reason.${problem}`)}</p>}
      <form className="files-ask" onSubmit={ask}>
        <label htmlFor="files-ask-message">{t('files.askLabel')}</label>
        <input id="files-ask-message" data-testid="files-ask-message" maxLength={1000} placeholder={t('files.askPlaceholder')} value={message} onChange={(e) => setMessage(e.target.value)} />
        <button type="submit" className="button" data-testid="files-ask">
          {t('files.ask')}
        </button>
        {asked && <p className="files-asked">{t('files.asked')}</p>}
      </form>
      {offers.map((id) => {
        const offer = transfers.find((x) => x.transferId === id);
        if (!offer) return null;
        return (
          <div key={id} className="files-offer" data-testid="files-offer" role="alert">
            <p>{t('files.incoming', { name: offer.name, size: formatBytes(offer.size, i18n.language) })}</p>
            <button type="button" className="button button--primary" data-testid="files-save" onClick={() => void files.save(id)}>
              {t('files.save')}
            </button>
            <button type="button" className="button" data-testid="files-decline" onClick={() => files.decline(id)}>
              {t('files.decline')}
            </button>
          </div>
        );
      })}
      {transfers.length === 0 ? (
        <p className="files-empty">{t('files.empty')}</p>
      ) : (
        <ul className="transfers" data-testid="transfers">
          {[...transfers].reverse().map((info) => (
            <TransferRow key={info.transferId} info={info} onCancel={() => files.cancel(info.transferId)} />
          ))}
        </ul>
      )}
    </section>
  );
}
