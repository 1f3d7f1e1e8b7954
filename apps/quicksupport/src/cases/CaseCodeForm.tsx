import { parseCaseCode, type CaseCredentials } from '@fernhilfe/protocol';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';

/** "I have a code": the code typed by hand (any case, with or without spaces or dashes). */
export function CaseCodeForm({ onCode, open = false }: { onCode: (creds: CaseCredentials) => void; open?: boolean }) {
  const { t } = useTranslation();
  const [shown, setShown] = useState(open);
  const [code, setCode] = useState('');
  const [invalid, setInvalid] = useState(false);
  if (!shown) {
    return (
      <button type="button" className="button button-link" data-testid="have-code" onClick={() => setShown(true)}>
        {t('supportCase.haveCode')}
      </button>
    );
  }
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const creds = parseCaseCode(code);
    setInvalid(!creds);
    if (creds) onCode(creds);
  };
  return (
    <form className="case-code" onSubmit={submit}>
      <label htmlFor="case-code">{t('supportCase.codeLabel')}</label>
      <input id="case-code" data-testid="case-code-input" autoComplete="off" spellCheck={false} value={code} maxLength={40} onChange={(e) => setCode(e.target.value)} />
      <p className="hint">{t('supportCase.codeHint')}</p>
      {invalid && (
        <p className="notice notice-problem" role="alert" data-testid="case-code-invalid">
          {t('supportCase.codeInvalid')}
        </p>
      )}
      <button type="submit" className="button" data-testid="use-code">
        {t('supportCase.useCode')}
      </button>
    </form>
  );
}
