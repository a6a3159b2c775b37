import { lazy, Suspense, useMemo } from 'react';
import { listAllOrganisations, type Organisation } from '../api';
import { useI18n } from '../i18n';
import { memberHref, navigate } from '../router';
import { useApi } from '../useApi';
import { CountsPanel } from './CountsPanel';
import { ErrorMessage } from './ErrorMessage';
import { Loading } from './Loading';
import { MapLegend } from './MapLegend';

// The map carries all municipality outlines; load it only when the overview is shown.
const DenmarkMap = lazy(() => import('./DenmarkMap'));

function onSelect(code: string) {
  navigate(memberHref(code));
}

export function OverviewPage() {
  const { t } = useI18n();
  const [municipalities, retry] = useApi((signal) => listAllOrganisations({ kind: 'municipality' }, signal), []);

  const byCode = useMemo(() => {
    if (municipalities.status !== 'ok') return null;
    return new Map<string, Organisation>(municipalities.data.map((m) => [m.code, m]));
  }, [municipalities]);

  return (
    <div className="overview" data-testid="overview">
      <section className="panel map-panel">
        <div className="map-heading">
          <h1>{t('overview.mapTitle')}</h1>
          <p className="hint">{t('overview.mapHint')}</p>
        </div>
        {municipalities.status === 'error' ? <ErrorMessage error={municipalities.error} onRetry={retry} /> : null}
        <Suspense fallback={<Loading />}>
          <DenmarkMap municipalities={byCode} onSelect={onSelect} />
        </Suspense>
      </section>
      <aside className="side">
        <CountsPanel />
        <MapLegend municipalities={municipalities.status === 'ok' ? municipalities.data : null} />
      </aside>
    </div>
  );
}
