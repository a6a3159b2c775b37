import { useCallback } from 'react';
import { Municipalities, type MunicipalityType } from 'react-denmark-map';
import { normaliseMunicipalityCode } from '../../regions';
import { NO_SCORE_COLOUR, scoreColour } from './scale';

export interface MapCell {
  name: string;
  score: number | null;
  /** What the score is: "82.1" or "Region median 64.0". */
  label: string;
}

/** Denmark's 98 municipalities, each filled by its baseline score. */
export default function BaselineMap({
  cells,
  onSelect,
  ariaLabel,
}: {
  cells: ReadonlyMap<string, MapCell>;
  onSelect: ((code: string) => void) | null;
  ariaLabel: string;
}) {
  const customizeAreas = useCallback(
    (area: MunicipalityType) => {
      const code = normaliseMunicipalityCode(area.code);
      const cell = cells.get(code);
      return {
        className: `bl-municipality bl-m-${code}${cell && cell.score !== null ? ' bl-scored' : ''}`,
        style: { fill: scoreColour(cell?.score) },
      };
    },
    [cells],
  );
  const tooltip = useCallback(
    (area: MunicipalityType) => {
      const code = normaliseMunicipalityCode(area.code);
      const cell = cells.get(code);
      return (
        <div className="map-tooltip">
          <strong>{cell?.name ?? area.display_name}</strong>
          <span>
            {code}
            {cell ? ` · ${cell.label}` : ''}
          </span>
        </div>
      );
    },
    [cells],
  );
  const onClick = useCallback(
    (area: MunicipalityType) => onSelect?.(normaliseMunicipalityCode(area.code)),
    [onSelect],
  );
  return (
    <div className="dk-map bl-map" data-testid="baseline-map" role="img" aria-label={ariaLabel}>
      <Municipalities
        customizeAreas={customizeAreas}
        customTooltip={tooltip}
        showTooltip
        clickable={onSelect !== null}
        hoverable
        onClick={onClick}
        color={NO_SCORE_COLOUR}
        style={{ maxWidth: '100%', width: '100%', height: '100%' }}
      />
    </div>
  );
}
