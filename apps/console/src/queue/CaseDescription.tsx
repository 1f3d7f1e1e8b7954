import { parseCaseCode, type SupportCase } from '@fernhilfe/protocol';
import { useEffect, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { caseSecrets } from './case-secrets';

/**
 * The customer's description, opened in this browser with the case secret. Without a copy of the
 * secret here: ask the customer for the code on their page and type it (checked by opening the text).
 */
export function CaseDescription({ item }: { item: SupportCase }) {
  const { t } = useTranslation();
  const [secret, setSecret] = useState(() => caseSecrets.get(item.id));
  const [text, setText] = useState<string>();
  const [wrong, setWrong] = useState(false);

  useEffect(() => {
    if (!secret || !item.description) return;
    let live = true;
    caseSecrets.open({ caseId: item.id, secret }, item.description).then(
      (plain) => live && (setText(plain), setWrong(false)),
      () => {
        caseSecrets.forget(item.id); // a code typed here that does not open the case is not kept
        if (live) setWrong(true);
      },
    );
    return () => {
      live = false;
    };
  }, [secret, item.id, item.description]);

  if (secret && !wrong) {
    if (!item.description) return <p className="queue-muted">{item.arrivedAt ? t('queue.noDescription') : t('queue.notArrived')}</p>;
    return (
      <blockquote className="queue-description" data-testid="case-description">
        <span className="queue-muted">{t('queue.description')}</span> {text ?? '…'}
      </blockquote>
    );
  }
  return <AskForCode caseId={item.id} wrong={wrong} onSecret={(s) => (setWrong(false), setSecret(s))} />;
}

function AskForCode({ caseId, wrong, onSecret }: { caseId: string; wrong: boolean; onSecret: (secret: string) => void }) {
  const { t } = useTranslation();
  const [code, setCode] = useState('');
  const [bad, setBad] = useState(false);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const creds = parseCaseCode(code);
    const ok = creds !== undefined && creds.caseId === caseId;
    setBad(!ok);
    if (!ok) return;
    caseSecrets.remember(creds);
    onSecret(creds.secret);
  };
  return (
    <form className="queue-ask" onSubmit={submit} data-testid="case-ask-code">
      <p>{t('queue.noSecret')}</p>
      <input data-testid="case-code-input" autoComplete="off" spellCheck={false} maxLength={40} value={code} onChange={(e) => setCode(e.target.value)} />
      <button type="submit" className="button button--small" data-testid="case-unlock">
        {t('queue.unlock')}
      </button>
      {(bad || wrong) && <p className="records-status--error" role="alert" data-testid="case-wrong-code">{t('queue.wrongCode')}</p>}
    </form>
  );
}
