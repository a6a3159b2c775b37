import type { PageProps } from '../../nav';
import { useSession } from '../../session';
import { useRiskMessages } from './common';
import { PlanPage } from './PlanPage';
import { SimulatePage } from './SimulatePage';
import { WeakestPage } from './WeakestPage';
import './risk.css';

const TABS = [
  { href: '#/risk', key: 'nav.weakest', sub: undefined },
  { href: '#/risk/simulate', key: 'nav.simulate', sub: 'simulate' },
  { href: '#/risk/plan', key: 'nav.plan', sub: 'plan' },
] as const;

/** #/risk (weakest links), #/risk/simulate, #/risk/plan. */
export function RiskPage({ rest, query }: PageProps) {
  const m = useRiskMessages();
  const { token } = useSession();
  const sub = rest[0];
  if (!token) {
    return (
      <section className="panel risk-signin" data-testid="risk-signin">
        <p>{m('signIn')}</p>
        <a href="#/login">{m('signInLink')}</a>
      </section>
    );
  }
  return (
    <div className="risk" data-testid="risk">
      <nav className="risk-tabs">
        {TABS.map((tab) => (
          <a key={tab.href} href={tab.href} aria-current={tab.sub === sub ? 'page' : undefined}>
            {m(tab.key)}
          </a>
        ))}
      </nav>
      {sub === 'simulate' ? (
        <SimulatePage initialSource={query.get('source') ?? undefined} />
      ) : sub === 'plan' ? (
        <PlanPage />
      ) : (
        <WeakestPage />
      )}
    </div>
  );
}
