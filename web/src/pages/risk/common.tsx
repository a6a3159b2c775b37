import type { ReactNode } from 'react';
import { useI18n, useT } from '../../i18n';
import type { Estimate, ThreatLevel, ThreatLevels } from './riskApi';

export const useRiskMessages = () => useT('risk');

/** "12.345 [12.000–12.700]": a mean with its 95 % interval. */
export function useFormat() {
  const { formatNumber } = useI18n();
  const number = (value: number, digits = 0) => formatNumber(value, digits);
  const interval = (e: Estimate, digits = 0) =>
    `${number(e.mean, digits)} [${number(e.low, digits)}–${number(e.high, digits)}]`;
  const percent = (value: number, digits = 1) => `${number(100 * value, digits)} %`;
  return { number, interval, percent };
}

export const ACTORS = ['crime', 'espionage', 'activism', 'destructive'] as const;
export const LEVELS = ['none', 'low', 'medium', 'high', 'very_high'] as const satisfies readonly ThreatLevel[];
/** The national threat assessment's levels, the hub's defaults. */
export const DEFAULT_THREAT: Required<ThreatLevels> = {
  crime: 'very_high',
  espionage: 'very_high',
  activism: 'high',
  destructive: 'medium',
};

export function ThreatControls({ value, onChange }: { value: ThreatLevels; onChange: (next: ThreatLevels) => void }) {
  const m = useRiskMessages();
  return (
    <fieldset className="risk-threat" data-testid="risk-threat">
      <legend>{m('threat.title')}</legend>
      {ACTORS.map((actor) => (
        <label key={actor}>
          {m(`threat.${actor}`)}
          <select
            value={value[actor] ?? DEFAULT_THREAT[actor]}
            onChange={(e) => onChange({ ...value, [actor]: e.target.value as ThreatLevel })}
          >
            {LEVELS.map((level) => (
              <option key={level} value={level}>
                {m(`level.${level}`)}
              </option>
            ))}
          </select>
        </label>
      ))}
    </fieldset>
  );
}

export function Stat({ label, value, detail, testId }: { label: string; value: ReactNode; detail?: ReactNode; testId?: string }) {
  return (
    <div className="risk-stat" data-testid={testId}>
      <span className="risk-stat-label">{label}</span>
      <strong className="risk-stat-value">{value}</strong>
      {detail ? <span className="risk-stat-detail">{detail}</span> : null}
    </div>
  );
}

/** Kind colours (Okabe–Ito, safe for colour-blind readers). */
export const KIND_COLOURS: Record<string, string> = {
  municipality: '#999999',
  region: '#CC79A7',
  state_body: '#0072B2',
  shared_system: '#009E73',
  supplier: '#D55E00',
  health: '#56B4E9',
  utility: '#E69F00',
  other: '#F0E442',
};
