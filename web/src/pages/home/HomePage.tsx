/**
 * #/ — "Overblik": for a signed-in person, what needs attention now (the
 * member's or the coordinator's); for an anonymous visitor, the map. While a
 * stored sign-in is being restored nothing is promised either way, so a
 * reload never flashes the anonymous page at a signed-in person.
 */
import { useT } from '../../i18n';
import { useSession, type Me } from '../../session';
import { Loading } from '../../ui/Loading';
import { OverviewPage } from '../overview/OverviewPage';
import { CoordinatorHome } from './CoordinatorHome';
import { BaselineSection, DeadlinesSection, DutySection, ExposureSection, FeedsSection, GuidanceSection, IndicatorsSection } from './MemberSections';
import './home.css';

export function HomePage() {
  const { token, me } = useSession();
  const t = useT('home');
  if (!token) return <OverviewPage />;
  if (!me) {
    return (
      <div className="panel home" data-testid="home" data-state="restoring" aria-busy="true">
        <h1>{t('title')}</h1>
        <Loading />
      </div>
    );
  }
  if (me.role === 'sensor') return <SensorHome me={me} />;
  return me.coordinator ? <CoordinatorHome /> : <MemberHome me={me} />;
}

function MemberHome({ me }: { me: Me }) {
  const t = useT('home');
  const code = me.organisation.code;
  return (
    <div className="home" data-testid="home" data-role="member" data-code={code}>
      <header className="panel home-head">
        <h1>{t('memberHeading', { name: me.organisation.name })}</h1>
        <p>{t('memberIntro')}</p>
      </header>
      <div className="home-grid">
        <DeadlinesSection />
        <ExposureSection code={code} />
        <IndicatorsSection code={code} />
        <DutySection code={code} />
        <GuidanceSection />
        <BaselineSection code={code} />
        <FeedsSection />
      </div>
    </div>
  );
}

function SensorHome({ me }: { me: Me }) {
  const t = useT('home');
  return (
    <section className="panel home" data-testid="home" data-role="sensor">
      <h1>{t('sensorHeading')}</h1>
      <p>{t('sensorText', { name: me.name })}</p>
      <ul>
        <li>
          <a href="#/map">{t('sensorMap')}</a>
        </li>
        <li>
          <a href="#/login">{t('sensorLogin')}</a>
        </li>
      </ul>
    </section>
  );
}
