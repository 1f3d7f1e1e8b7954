import { useAppState } from '../state/context';
import { ConnectForm } from './ConnectForm';
import { SessionEnded } from './SessionEnded';
import { OwnPassword } from './OwnPassword';
import { TotpPanel } from './TotpPanel';

/** Signed in, no session: how the last one ended, the connect form, and the account's two-factor setting and password. */
export function HomePage() {
  const lastEnd = useAppState((s) => s.lastEnd);
  return (
    <div className="home">
      <div className="home-main">
        {lastEnd && <SessionEnded ended={lastEnd} />}
        <ConnectForm />
      </div>
      <aside className="home-side">
        <TotpPanel />
        <OwnPassword />
      </aside>
    </div>
  );
}
