import { useMemo } from 'react';
import { DenmarkMap } from '../../ui/DenmarkMap';
import { useFormat, useRiskMessages } from './common';

/** White → dark red by probability (0 → 1); grey while unknown. */
export function hitColour(probability: number | undefined): string {
  if (probability === undefined) return '#d9dde2';
  const t = Math.min(1, Math.max(0, Math.sqrt(probability)));
  const mix = (from: number, to: number) => Math.round(from + (to - from) * t);
  return `rgb(${mix(255, 153)}, ${mix(245, 0)}, ${mix(235, 13)})`;
}

const shapeClass = (code: string) => `dk-municipality dk-m-${code}`;

/** The municipalities coloured by their chance of being hit in the chosen scenario (code → name, probability). */
export function RiskMap({ hit }: { hit: ReadonlyMap<string, { name: string; probability: number }> | null }) {
  const m = useRiskMessages();
  const { percent } = useFormat();
  const areas = useMemo(
    () =>
      hit
        ? new Map(
            [...hit].map(([code, entry]) => [
              code,
              { name: entry.name, fill: hitColour(entry.probability), value: percent(entry.probability) },
            ]),
          )
        : null,
    [hit, percent],
  );
  return (
    <>
      <DenmarkMap
        areas={areas}
        shapeClass={shapeClass}
        emptyFill={hitColour(undefined)}
        onSelect={null}
        label={m('map.label')}
        valueLabel={m('map.legend')}
        testId="risk-map"
        className="risk-map"
      />
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
