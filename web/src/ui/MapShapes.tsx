import { useCallback, useEffect, useRef, useState, type KeyboardEvent } from 'react';
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

const CODE_CLASS = /\bdk-code-(\d{4})\b/;

/**
 * The 98 municipality outlines (react-denmark-map, a chunk of its own), filled
 * by a layer. For the keyboard the map is one Tab stop: the arrow keys move to
 * the nearest municipality in that direction, Home/End to the first/last,
 * Enter or Space opens it (when `onSelect`); each outline is named
 * "municipality, value". The library renders the paths and takes no
 * attributes for them, so they are given after each render.
 */
export default function MapShapes({ areas, shapeClass, emptyFill, onSelect }: MapShapesProps) {
  const root = useRef<HTMLDivElement>(null);
  const shapeNames = useRef(new Map<string, string>());
  const [focused, setFocused] = useState<string | null>(null);

  const customizeAreas = useCallback(
    (shape: MunicipalityType) => {
      const code = normaliseMunicipalityCode(shape.code);
      const area = areas?.get(code);
      shapeNames.current.set(code, shape.display_name);
      return { className: `${shapeClass(code, area)} dk-code-${code}`, style: { fill: area?.fill ?? emptyFill } };
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

  const nameOf = useCallback(
    (code: string) => {
      const area = areas?.get(code);
      const name = area?.name ?? shapeNames.current.get(code) ?? code;
      return area?.value ? `${name}, ${area.value}` : name;
    },
    [areas],
  );

  // Names, roles and the one Tab stop on the library's paths.
  useEffect(() => {
    const paths = shapesIn(root.current);
    const stop = paths.find((path) => path.dataset.code === focused) ?? paths[0];
    for (const path of paths) {
      const code = path.dataset.code ?? CODE_CLASS.exec(path.getAttribute('class') ?? '')?.[1];
      if (!code) continue;
      path.dataset.code = code;
      path.setAttribute('role', onSelect ? 'link' : 'img');
      path.setAttribute('aria-label', nameOf(code));
      path.setAttribute('tabindex', path === stop ? '0' : '-1');
    }
  });

  const move = (from: SVGPathElement, key: string): SVGPathElement | undefined => {
    const paths = shapesIn(root.current);
    if (key === 'Home') return paths[0];
    if (key === 'End') return paths[paths.length - 1];
    const centre = (path: SVGPathElement) => {
      const box = path.getBBox();
      return { x: box.x + box.width / 2, y: box.y + box.height / 2 };
    };
    const here = centre(from);
    const steps: Record<string, readonly [number, number]> = { ArrowLeft: [-1, 0], ArrowRight: [1, 0], ArrowUp: [0, -1], ArrowDown: [0, 1] };
    const [dx, dy] = steps[key] ?? [0, 0];
    let best: SVGPathElement | undefined;
    let bestScore = Infinity;
    for (const path of paths) {
      if (path === from) continue;
      const there = centre(path);
      const along = (there.x - here.x) * dx + (there.y - here.y) * dy;
      if (along <= 0) continue;
      const across = Math.abs((there.x - here.x) * dy + (there.y - here.y) * dx);
      const score = along + 2 * across;
      if (score < bestScore) {
        bestScore = score;
        best = path;
      }
    }
    return best;
  };

  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>) => {
    const target = event.target;
    if (!(target instanceof SVGPathElement) || !target.dataset.code) return;
    if ((event.key === 'Enter' || event.key === ' ') && onSelect) {
      event.preventDefault();
      onSelect(target.dataset.code);
      return;
    }
    if (['ArrowLeft', 'ArrowRight', 'ArrowUp', 'ArrowDown', 'Home', 'End'].includes(event.key)) {
      event.preventDefault();
      const next = move(target, event.key);
      if (next) {
        target.setAttribute('tabindex', '-1');
        next.setAttribute('tabindex', '0');
        next.focus();
      }
    }
  };

  const focusedArea = focused ? areas?.get(focused) : undefined;
  return (
    <div
      ref={root}
      className="dk-map-shapes"
      onKeyDown={onKeyDown}
      onFocus={(event) => {
        const code = event.target instanceof SVGPathElement ? event.target.dataset.code : undefined;
        setFocused(code ?? null);
      }}
      onBlur={() => setFocused(null)}
    >
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
      {focused ? (
        // What the keyboard is on, where a mouse would see the tooltip (the name is read from the outline).
        <div className="map-tooltip map-focus-tip" aria-hidden="true">
          <strong>{focusedArea?.name ?? shapeNames.current.get(focused) ?? focused}</strong>
          <span>
            {focused}
            {focusedArea?.value ? ` · ${focusedArea.value}` : ''}
          </span>
        </div>
      ) : null}
    </div>
  );
}

function shapesIn(root: HTMLElement | null): SVGPathElement[] {
  if (!root) return [];
  return [...root.querySelectorAll<SVGPathElement>('svg path')].filter((path) => CODE_CLASS.test(path.getAttribute('class') ?? ''));
}
