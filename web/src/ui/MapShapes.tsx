import { useCallback } from 'react';
import { Municipalities, type MunicipalityType } from 'react-denmark-map';
import { normaliseMunicipalityCode } from '../regions';

/** What one layer shows for a municipality (keyed by its four-digit code). */
export interface MapArea {
  name: string;
  fill: string;
  /** The value in words: the tooltip's second line and the text alternative's cell. */
  value: string;
}

export interface MapShapesProps {
  areas: ReadonlyMap<string, MapArea> | null;
  shapeClass: (code: string, area: MapArea | undefined) => string;
  emptyFill: string;
  onSelect: ((code: string) => void) | null;
}

/** The 98 municipality outlines (react-denmark-map, a chunk of its own), filled by a layer. */
export default function MapShapes({ areas, shapeClass, emptyFill, onSelect }: MapShapesProps) {
  const customizeAreas = useCallback(
    (shape: MunicipalityType) => {
      const code = normaliseMunicipalityCode(shape.code);
      const area = areas?.get(code);
      return { className: shapeClass(code, area), style: { fill: area?.fill ?? emptyFill } };
    },
    [areas, shapeClass, emptyFill],
  );
  const tooltip = useCallback(
    (shape: MunicipalityType) => {
      const code = normaliseMunicipalityCode(shape.code);
      const area = areas?.get(code);
      return (
        <div className="map-tooltip">
          <strong>{area?.name ?? shape.display_name}</strong>
          <span>
            {code}
            {area?.value ? ` · ${area.value}` : ''}
          </span>
        </div>
      );
    },
    [areas],
  );
  const onClick = useCallback((shape: MunicipalityType) => onSelect?.(normaliseMunicipalityCode(shape.code)), [onSelect]);
  return (
    <Municipalities
      customizeAreas={customizeAreas}
      customTooltip={tooltip}
      showTooltip
      clickable={onSelect !== null}
      hoverable
      onClick={onClick}
      color={emptyFill}
      style={{ maxWidth: '100%', width: '100%', height: '100%' }}
    />
  );
}
