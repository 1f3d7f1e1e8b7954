import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { useConsole } from '../state/context';
import type { Branding } from '@fernhilfe/protocol';
import { api } from '../api';
import { StatusLine, type FormStatus } from './Status';
import { describe } from './use-load';

const FIELDS = [
  ['companyName', 'text', 120],
  ['supportPhone', 'tel', 40],
  ['website', 'text', 253],
] as const;

/** Company name, phone, website and the two colours; saved with PUT /api/admin/branding. */
export function BrandingSettings({ initial }: { initial: Branding }) {
  const { t } = useTranslation();
  const controller = useConsole();
  const [form, setForm] = useState<Branding>(initial);
  const [status, setStatus] = useState<FormStatus>({ kind: 'idle' });
  const set = (key: keyof Branding, value: string) => setForm((f) => ({ ...f, [key]: value }));

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setStatus({ kind: 'busy' });
    try {
      const saved = await api.call('saveBranding', { body: form });
      controller.store.set({ branding: saved });
      setStatus({ kind: 'done', text: t('records.common.saved') });
    } catch (err) {
      setStatus({ kind: 'error', ...describe(err) });
    }
  };

  return (
    <form className="card records-card" onSubmit={(e) => void submit(e)} data-testid="branding-form">
      <h2>{t('records.branding.heading')}</h2>
      {FIELDS.map(([key, type, max]) => (
        <label className="field" key={key}>
          <span>{t(`records.branding.${key}`)}</span>
          <input type={type} name={key} data-testid={`branding-${key}`} maxLength={max} value={form[key]} onChange={(e) => set(key, e.target.value)} />
        </label>
      ))}
      <div className="records-colours">
        {(['primaryColor', 'accentColor'] as const).map((key) => (
          <label className="field" key={key}>
            <span>{t(`records.branding.${key}`)}</span>
            <input type="color" name={key} data-testid={`branding-${key}`} value={form[key]} onChange={(e) => set(key, e.target.value)} />
          </label>
        ))}
      </div>
      <button type="submit" className="button button--primary" data-testid="branding-save" disabled={status.kind === 'busy'}>
        {t('records.common.save')}
      </button>
      <StatusLine status={status} testId="branding-status" />
    </form>
  );
}
