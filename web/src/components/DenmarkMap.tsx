import { useCallback } from 'react';
import { Municipalities, type MunicipalityType } from 'react-denmark-map';
import type { Organisation } from '../api';
import { useI18n } from '../i18n';
import { normaliseMunicipalityCode, regionColour } from '../regions';

export interface DenmarkMapProps {
  /** Municipalities from the hub keyed by four-digit code; null while loading. */
  municipalities: ReadonlyMap<string, Organisation> | null;
  onSelect: (code: string) => void;
}

/** Map of Denmark's 98 municipalities, each coloured by its region. */
export default function DenmarkMap({ municipalities, onSelect }: DenmarkMapProps) {
  const { t, regionLabel } = useI18n();

  const customizeAreas = useCallback(
    (area: MunicipalityType) => {
      const code = normaliseMunicipalityCode(area.code);
      const org = municipalities?.get(code);
      const region = org?.region_code ?? 'unknown';
      return {
        className: `dk-municipality dk-m-${code} dk-region-${region}`,
        style: { fill: regionColour(org?.region_code) },
      };
    },
    [municipalities],
  );

  const tooltip = useCallback(
    (area: MunicipalityType) => {
      const code = normaliseMunicipalityCode(area.code);
      const org = municipalities?.get(code);
      return (
        <div className="map-tooltip">
          <strong>{org?.name ?? area.display_name}</strong>
          <span>
            {code}
            {org ? ` · ${regionLabel(org.region_code, org.region_name)}` : ''}
          </span>
        </div>
      );
    },
    [municipalities, regionLabel],
  );

  const onClick = useCallback(
    (area: MunicipalityType) => onSelect(normaliseMunicipalityCode(area.code)),
    [onSelect],
  );

  return (
    <div className="dk-map" data-testid="dk-map" role="img" aria-label={t('overview.mapLabel')}>
      <Municipalities
        customizeAreas={customizeAreas}
        customTooltip={tooltip}
        showTooltip
        clickable
        hoverable
        onClick={onClick}
        color={regionColour(null)}
        style={{ maxWidth: '100%', width: '100%', height: '100%' }}
      />
    </div>
  );
}
