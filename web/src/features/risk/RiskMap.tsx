import { useCallback } from 'react';
import { Municipalities, type MunicipalityType } from 'react-denmark-map';
import { normaliseMunicipalityCode } from '../../regions';
import { useFormat, useRiskMessages } from './common';

/** White → dark red by probability (0 → 1); grey while unknown. */
export function hitColour(probability: number | undefined): string {
  if (probability === undefined) return '#d9dde2';
  const t = Math.min(1, Math.max(0, Math.sqrt(probability)));
  const mix = (from: number, to: number) => Math.round(from + (to - from) * t);
  return `rgb(${mix(255, 153)}, ${mix(245, 0)}, ${mix(235, 13)})`;
}

/** The municipalities coloured by their chance of being hit in the chosen scenario. */
export default function RiskMap({ hit }: { hit: ReadonlyMap<string, number> | null }) {
  const m = useRiskMessages();
  const { percent } = useFormat();
  const customizeAreas = useCallback(
    (area: MunicipalityType) => {
      const code = normaliseMunicipalityCode(area.code);
      return { className: `dk-municipality dk-m-${code}`, style: { fill: hitColour(hit?.get(code)) } };
    },
    [hit],
  );
  const tooltip = useCallback(
    (area: MunicipalityType) => {
      const code = normaliseMunicipalityCode(area.code);
      const p = hit?.get(code);
      return (
        <div className="map-tooltip">
          <strong>{area.display_name}</strong>
          <span>{p === undefined ? code : `${code} · ${percent(p)}`}</span>
        </div>
      );
    },
    [hit, percent],
  );
  return (
    <>
      <div className="dk-map risk-map" data-testid="risk-map" role="img" aria-label={m('map.label')}>
        <Municipalities
          customizeAreas={customizeAreas}
          customTooltip={tooltip}
          showTooltip
          hoverable
          color={hitColour(undefined)}
          style={{ maxWidth: '100%', width: '100%', height: '100%' }}
        />
      </div>
      <div className="risk-map-legend">
        <span>{m('map.legend')}</span>
        {[0, 0.05, 0.25, 0.5, 1].map((p) => (
          <span key={p} className="risk-map-step">
            <span className="swatch" style={{ background: hitColour(p) }} />
            {percent(p, 0)}
          </span>
        ))}
      </div>
    </>
  );
}
