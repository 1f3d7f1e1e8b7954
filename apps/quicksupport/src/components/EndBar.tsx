import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useStore } from '../use-session.js';

/** The End session button, pinned to the bottom of the window so it is always in reach. */
export function EndBar() {
  const { t } = useTranslation();
  const store = useStore();
  const [ending, setEnding] = useState(false);
  return (
    <footer className="end-bar">
      <button
        type="button"
        className="button button-danger button-large"
        data-testid="end-session"
        disabled={ending}
        onClick={() => {
          setEnding(true);
          void store.end().finally(() => setEnding(false));
        }}
      >
        {t('end.button')}
      </button>
    </footer>
  );
}
