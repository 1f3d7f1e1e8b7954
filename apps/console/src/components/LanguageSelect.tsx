import { useTranslation } from 'react-i18next';
import { changeLanguage, currentLanguage, languages, type Language } from '../i18n';

export function LanguageSelect() {
  const { t, i18n } = useTranslation();
  const value = languages.includes(i18n.language as Language) ? i18n.language : currentLanguage();
  return (
    <label className="language">
      <span className="visually-hidden">{t('language.label')}</span>
      <select data-testid="language-select" value={value} onChange={(e) => changeLanguage(e.target.value as Language)}>
        {languages.map((lng) => (
          <option key={lng} value={lng}>
            {t(`language.${lng}`)}
          </option>
        ))}
      </select>
    </label>
  );
}
