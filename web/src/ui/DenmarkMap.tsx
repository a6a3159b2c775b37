import { lazy, Suspense } from 'react';
import type { Organisation } from '../api';
import { useI18n } from '../i18n';
import { regionColour } from '../regions';
import { DataTable } from './DataTable';
import { Loading } from './Loading';
import type { MapArea } from './MapShapes';

export type { MapArea };

export interface DenmarkMapProps {
  /** The layer: each municipality's fill and value; null while loading. */
  areas: ReadonlyMap<string, MapArea> | null;
  /** Classes of a shape (test hooks and styles, e.g. "dk-municipality dk-m-0751 dk-region-1082"). */
  shapeClass: (code: string, area: MapArea | undefined) => string;
  /** Fill of a municipality the layer does not know. */
  emptyFill: string;
  /** Opens a municipality; null: the shapes are not clickable. */
  onSelect: ((code: string) => void) | null;
  /** The map's accessible name (a group of named municipalities); also the data table's caption. */
  label: string;
  /** Header of the value column in the text alternative. */
  valueLabel: string;
  testId: string;
  className?: string;
}

// The outlines are large; load them only when a map is shown.
const MapShapes = lazy(() => import('./MapShapes'));

/**
 * Denmark's 98 municipalities coloured by one layer, with its text
 * alternative: the same data as a table in a disclosure below the map.
 */
export function DenmarkMap({ areas, shapeClass, emptyFill, onSelect, label, valueLabel, testId, className }: DenmarkMapProps) {
  const { t } = useI18n();
  const rows = areas ? [...areas.entries()].map(([code, area]) => ({ code, ...area })) : [];
  return (
    <>
      <Suspense fallback={<Loading />}>
        <div className={className ? `dk-map ${className}` : 'dk-map'} data-testid={testId} role="group" aria-label={label}>
          <MapShapes areas={areas} shapeClass={shapeClass} emptyFill={emptyFill} onSelect={onSelect} />
        </div>
      </Suspense>
      {rows.length > 0 ? (
        <details className="map-data">
          <summary>{t('map.tableSummary')}</summary>
          <DataTable
            rows={rows}
            rowKey={(row) => row.code}
            caption={label}
            initialSort={{ column: 'name', direction: 'ascending' }}
            columns={[
              { id: 'code', header: t('map.code'), value: (row) => row.code },
              { id: 'name', header: t('map.name'), value: (row) => row.name, rowHeader: true },
              { id: 'value', header: valueLabel, value: (row) => row.value },
            ]}
          />
        </details>
      ) : null}
    </>
  );
}

/** The region layer: each municipality in its region's colour (the overview's map). */
export function regionAreas(
  municipalities: readonly Organisation[],
  regionLabel: (code: string | null | undefined, fallback?: string | null) => string,
): Map<string, MapArea> {
  return new Map(
    municipalities.map((org) => [
      org.code,
      { name: org.name, fill: regionColour(org.region_code), value: regionLabel(org.region_code, org.region_name) },
    ]),
  );
}

/** Shape classes of the region layer: dk-m-{code} and dk-region-{region} (test hooks). */
export function regionShapeClass(municipalities: ReadonlyMap<string, Organisation> | null) {
  return (code: string) => `dk-municipality dk-m-${code} dk-region-${municipalities?.get(code)?.region_code ?? 'unknown'}`;
}
