import { useEffect, useId, useMemo, useRef, useState, type ComponentPropsWithoutRef, type ReactNode, type RefObject } from 'react';
import type { ApiError } from '../api';
import { useI18n } from '../i18n';
import { ErrorMessage } from './ErrorMessage';

type CellValue = string | number | null | undefined;

export interface Column<Row> {
  id: string;
  header: ReactNode;
  /** Text of the header for the sort button's label when `header` is not a string. */
  headerText?: string;
  /** What the column holds: sorted by, and shown (formatted) when there is no `cell`. */
  value?: (row: Row) => CellValue;
  /** How a value is shown: numbers and dates follow the current language. */
  format?: 'text' | 'number' | 'date' | 'datetime' | { digits: number };
  /** The cell's content; `index` is the row's place in the sorted, filtered list. */
  cell?: (row: Row, index: number) => ReactNode;
  /** Sortable by `value` (default: when it has a value). */
  sortable?: boolean;
  /** Right-aligned (numbers). */
  numeric?: boolean;
  className?: string;
  /** The cell names its row (<th scope="row">). */
  rowHeader?: boolean;
}

export type RowProps = ComponentPropsWithoutRef<'tr'> & { [data: `data-${string}`]: string | number | boolean | undefined };

export interface Sort {
  column: string;
  direction: 'ascending' | 'descending';
}

export interface DataTableProps<Row> {
  rows: readonly Row[];
  columns: readonly Column<Row>[];
  rowKey: (row: Row) => string;
  rowProps?: (row: Row, index: number) => RowProps;
  /** The table's name: a visible caption, or `ariaLabel` when the heading above names it. */
  caption?: ReactNode;
  ariaLabel?: string;
  className?: string;
  testId?: string;
  initialSort?: Sort;
  /** Rows to keep (search and filter fields live with the page). */
  filter?: (row: Row) => boolean;
  /** Rows per page; all rows on one page when absent. */
  pageSize?: number;
  /** Shown under the table when no row is left; hides nothing else. */
  empty?: ReactNode;
  /** A failed load: shown instead of the rows. */
  error?: ApiError | null;
  onRetry?: () => void;
  /** Without the horizontally scrolling wrapper (e.g. a table inside a details). */
  bare?: boolean;
  /**
   * Renders a whole row (a <tr> keyed by the caller) instead of the columns'
   * cells: for rows that keep their own state, such as an editable row. The
   * columns still give the headers, the sorting and the filter.
   */
  renderRow?: (row: Row, index: number) => ReactNode;
}

/**
 * A table of rows with sortable columns (buttons in the headers, aria-sort),
 * an optional filter and pages, an empty text and an error state. Numbers and
 * dates are formatted with Intl in the current language.
 */
export function DataTable<Row>({
  rows,
  columns,
  rowKey,
  rowProps,
  caption,
  ariaLabel,
  className = 'table',
  testId,
  initialSort,
  filter,
  pageSize,
  empty,
  error,
  onRetry,
  bare,
  renderRow,
}: DataTableProps<Row>) {
  const { t, locale, formatNumber, formatDate } = useI18n();
  const [sort, setSort] = useState<Sort | null>(initialSort ?? null);
  const [page, setPage] = useState(0);
  const captionId = useId();
  const wrap = useRef<HTMLDivElement>(null);
  const scrolls = useScrolls(wrap);

  const shown = useMemo(() => {
    const kept = filter ? rows.filter(filter) : [...rows];
    const column = sort ? columns.find((c) => c.id === sort.column) : undefined;
    if (!sort || !column?.value) return kept;
    const value = column.value;
    const collator = new Intl.Collator(locale, { sensitivity: 'base', numeric: true });
    const sign = sort.direction === 'ascending' ? 1 : -1;
    return kept.sort((a, b) => {
      const x = value(a);
      const y = value(b);
      if (x === null || x === undefined) return y === null || y === undefined ? 0 : 1;
      if (y === null || y === undefined) return -1;
      if (typeof x === 'number' && typeof y === 'number') return sign * (x - y);
      return sign * collator.compare(String(x), String(y));
    });
  }, [rows, filter, sort, columns, locale]);

  const pages = pageSize ? Math.max(1, Math.ceil(shown.length / pageSize)) : 1;
  const current = Math.min(page, pages - 1);
  const first = pageSize ? current * pageSize : 0;
  const visible = pageSize ? shown.slice(first, first + pageSize) : shown;

  const show = (column: Column<Row>, row: Row): ReactNode => {
    const value = column.value?.(row);
    if (value === null || value === undefined || value === '') return t('common.none');
    const format = column.format ?? 'text';
    if (typeof value === 'number') {
      if (typeof format === 'object') return formatNumber(value, format.digits);
      if (format === 'number') return formatNumber(value);
      return String(value);
    }
    if (format === 'date' || format === 'datetime') return formatDate(value, format);
    return value;
  };

  const toggle = (column: Column<Row>) => {
    setSort((old) =>
      old?.column === column.id
        ? { column: column.id, direction: old.direction === 'ascending' ? 'descending' : 'ascending' }
        : { column: column.id, direction: 'ascending' },
    );
    setPage(0);
  };

  if (error) return <ErrorMessage error={error} onRetry={onRetry} />;

  const table = (
    <table className={className} data-testid={testId} aria-label={caption ? undefined : ariaLabel}>
      {caption ? <caption id={captionId}>{caption}</caption> : null}
      <thead>
        <tr>
          {columns.map((column) => {
            const sortable = column.sortable ?? column.value !== undefined;
            const direction = sort?.column === column.id ? sort.direction : undefined;
            const cls = [column.numeric ? 'num' : '', column.className ?? ''].join(' ').trim() || undefined;
            const label = column.headerText ?? (typeof column.header === 'string' ? column.header : column.id);
            return (
              <th key={column.id} scope="col" className={cls} aria-sort={sortable ? (direction ?? 'none') : undefined}>
                {sortable ? (
                  <button
                    type="button"
                    className="sort-button"
                    title={t('table.sortBy', { column: label })}
                    onClick={() => toggle(column)}
                  >
                    {column.header}
                    <span className="sort-mark" aria-hidden="true">
                      {direction === 'ascending' ? '▲' : direction === 'descending' ? '▼' : '↕'}
                    </span>
                  </button>
                ) : (
                  column.header
                )}
              </th>
            );
          })}
        </tr>
      </thead>
      <tbody>
        {visible.map((row, offset) => {
          const index = first + offset;
          if (renderRow) return renderRow(row, index);
          return (
            <tr key={rowKey(row)} {...rowProps?.(row, index)}>
              {columns.map((column) => {
                const cls = [column.numeric ? 'num' : '', column.className ?? ''].join(' ').trim() || undefined;
                const content = column.cell ? column.cell(row, index) : show(column, row);
                return column.rowHeader ? (
                  <th key={column.id} scope="row" className={cls}>
                    {content}
                  </th>
                ) : (
                  <td key={column.id} className={cls}>
                    {content}
                  </td>
                );
              })}
            </tr>
          );
        })}
      </tbody>
    </table>
  );

  return (
    <>
      {bare ? (
        table
      ) : (
        // A table wider than the page scrolls inside this box, never the page;
        // then the box is a named region in the Tab order, so a keyboard can scroll it.
        <div
          ref={wrap}
          className="table-wrap"
          role={scrolls ? 'region' : undefined}
          tabIndex={scrolls ? 0 : undefined}
          aria-labelledby={scrolls && caption ? captionId : undefined}
          aria-label={scrolls && !caption ? (ariaLabel ?? t('table.region')) : undefined}
        >
          {table}
        </div>
      )}
      {shown.length === 0 ? <p className="empty">{empty ?? t('table.empty')}</p> : null}
      {pages > 1 ? (
        <nav className="pager" aria-label={ariaLabel ?? (typeof caption === 'string' ? caption : undefined)}>
          <button type="button" disabled={current === 0} onClick={() => setPage(current - 1)}>
            {t('table.previous')}
          </button>
          <span aria-live="polite">{t('table.page', { page: current + 1, pages })}</span>
          <button type="button" disabled={current >= pages - 1} onClick={() => setPage(current + 1)}>
            {t('table.next')}
          </button>
        </nav>
      ) : null}
    </>
  );
}

/** Whether the element is narrower than its content (it scrolls sideways); follows resizes. */
function useScrolls(ref: RefObject<HTMLElement | null>): boolean {
  const [scrolls, setScrolls] = useState(false);
  useEffect(() => {
    const el = ref.current;
    if (!el) return undefined;
    const measure = () => setScrolls(el.scrollWidth > el.clientWidth + 1);
    measure();
    const observer = new ResizeObserver(measure);
    observer.observe(el);
    if (el.firstElementChild) observer.observe(el.firstElementChild);
    return () => observer.disconnect();
  });
  return scrolls;
}
