import type { Organisation } from '../../api';
import { useI18n } from '../../i18n';
import { REGIONS, UNKNOWN_REGION_COLOUR } from '../../regions';
import { membersHref } from '../../nav';

export function MapLegend({ municipalities }: { municipalities: readonly Organisation[] | null }) {
  const { t, regionLabel } = useI18n();
  const counts = new Map<string, number>();
  let unknown = 0;
  for (const m of municipalities ?? []) {
    if (m.region_code && REGIONS.some((r) => r.code === m.region_code)) {
      counts.set(m.region_code, (counts.get(m.region_code) ?? 0) + 1);
    } else {
      unknown += 1;
    }
  }
  return (
    <section className="panel legend" data-testid="map-legend">
      <h2>{t('overview.legend')}</h2>
      <ul>
        {REGIONS.map((r) => (
          <li key={r.code}>
            <a href={membersHref({ region: r.code, kind: 'municipality' })}>
              <span className="swatch" style={{ background: r.colour }} aria-hidden="true" />
              <span className="legend-name">{regionLabel(r.code)}</span>
              {municipalities ? (
                <span className="legend-count">{t('overview.legendCount', { n: counts.get(r.code) ?? 0 })}</span>
              ) : null}
            </a>
          </li>
        ))}
        {unknown > 0 ? (
          <li>
            <span className="swatch" style={{ background: UNKNOWN_REGION_COLOUR }} aria-hidden="true" />
            <span className="legend-name">{t('overview.unknownRegion')}</span>
            <span className="legend-count">{t('overview.legendCount', { n: unknown })}</span>
          </li>
        ) : null}
      </ul>
    </section>
  );
}
