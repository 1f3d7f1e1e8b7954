import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { copyText } from '../clipboard.js';

/** A button that copies `value` and says so for a moment ("Copied"), or that it could not. */
export function CopyButton({ value, label, testId }: { value: string; label: string; testId: string }) {
  const { t } = useTranslation();
  const [result, setResult] = useState<'idle' | 'copied' | 'failed'>('idle');

  useEffect(() => {
    if (result === 'idle') return;
    const timer = setTimeout(() => setResult('idle'), result === 'copied' ? 2500 : 5000);
    return () => clearTimeout(timer);
  }, [result]);

  return (
    <span className="copy">
      <button type="button" className="button button-small" data-testid={testId} data-copied={result === 'copied' ? 'true' : undefined} onClick={() => void copyText(value).then((ok) => setResult(ok ? 'copied' : 'failed'))}>
        {result === 'copied' ? `✓ ${t('credentials.copied')}` : label}
      </button>
      <span className="copy-feedback" role="status">
        {result === 'failed' ? t('credentials.copyFailed') : ''}
      </span>
    </span>
  );
}
