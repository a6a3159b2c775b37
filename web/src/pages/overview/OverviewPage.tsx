import { useMemo } from 'react';
import { listAllOrganisations, type Organisation } from '../../api';
import { useI18n } from '../../i18n';
import { memberHref, navigate } from '../../nav';
import { regionColour } from '../../regions';
import { DenmarkMap, regionAreas, regionShapeClass } from '../../ui/DenmarkMap';
import { AsyncView } from '../../ui/AsyncView';
import { useAsync } from '../../ui/useAsync';
import { CountsPanel } from './CountsPanel';
import { MapLegend } from './MapLegend';

function onSelect(code: string) {
  navigate(memberHref(code));
}

export function OverviewPage() {
  const { t, regionLabel } = useI18n();
  const [municipalities, retry] = useAsync((signal) => listAllOrganisations({ kind: 'municipality' }, signal), []);

  const byCode = useMemo(() => {
    if (municipalities.status !== 'ok') return null;
    return new Map<string, Organisation>(municipalities.data.map((m) => [m.code, m]));
  }, [municipalities]);
  const areas = useMemo(
    () => (municipalities.status === 'ok' ? regionAreas(municipalities.data, regionLabel) : null),
    [municipalities, regionLabel],
  );
  const shapeClass = useMemo(() => regionShapeClass(byCode), [byCode]);

  return (
    <div className="overview" data-testid="overview">
      <section className="panel map-panel">
        <div className="map-heading">
          <h1>{t('overview.mapTitle')}</h1>
          <p className="hint">{t('overview.mapHint')}</p>
        </div>
        <AsyncView state={municipalities} retry={retry} loading={null}>
          {() => null}
        </AsyncView>
        <DenmarkMap
          areas={areas}
          shapeClass={shapeClass}
          emptyFill={regionColour(null)}
          onSelect={onSelect}
          label={t('overview.mapLabel')}
          valueLabel={t('members.region')}
          testId="dk-map"
        />
      </section>
      <aside className="side">
        <CountsPanel />
        <MapLegend municipalities={municipalities.status === 'ok' ? municipalities.data : null} />
      </aside>
    </div>
  );
}
