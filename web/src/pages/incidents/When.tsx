import { useI18n } from '../../i18n';
import type { LocalTime } from './api';

/** A moment the hub sends as LocalTime (or a bare ISO string), in the dashboard's one date format. */
export function When({ at, style = 'datetime' }: { at: LocalTime | string | null | undefined; style?: 'date' | 'datetime' }) {
  const { formatDate } = useI18n();
  const iso = typeof at === 'string' || at === null || at === undefined ? at : at.utc;
  return <time dateTime={iso ?? undefined}>{formatDate(iso, style)}</time>;
}
