import { useTranslation } from 'react-i18next';
import { chooseLanguage, currentLanguage, isLanguage } from '../i18n/index.js';

const names = { de: 'Deutsch', en: 'English' } as const;

export function LanguageSelect() {
  const { t, i18n } = useTranslation();
  return (
    <label className="language">
      <span className="language-label">{t('header.language')}</span>
      <select
        data-testid="language-select"
        value={currentLanguage(i18n)}
        onChange={(e) => {
          if (isLanguage(e.target.value)) void chooseLanguage(e.target.value, i18n);
        }}
      >
        {Object.entries(names).map(([code, name]) => (
          <option key={code} value={code} lang={code}>
            {name}
          </option>
        ))}
      </select>
    </label>
  );
}
