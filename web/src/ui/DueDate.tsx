import { useI18n } from '../i18n';
import type { DateInput } from './format';
import { daysFrom } from './format';

const HOUR = 3_600_000;

/**
 * A due date or deadline. Past due (and not `done`), it says so in words and
 * with a symbol, not by colour alone: "⚠ 3 dage over fristen" / "3 days
 * overdue". Due within a week, it says how soon ("om 3 timer"). `style`
 * 'date' for a day (a KEV due date), 'datetime' for a moment (a NIS2 clock).
 */
export function DueDate({
  at,
  style = 'date',
  done = false,
  now = Date.now(),
}: {
  at: DateInput;
  style?: 'date' | 'datetime';
  done?: boolean;
  now?: number;
}) {
  const { t, formatDate, formatRelative, plural } = useI18n();
  const date = at === null || at === undefined || at === '' ? null : new Date(at);
  if (!date || Number.isNaN(date.getTime())) return <span className="due">{formatDate(at, style)}</span>;
  // A due date without a time is due at the end of that day.
  const end = style === 'date' && typeof at === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(at) ? date.getTime() + 24 * HOUR : date.getTime();
  const overdueMs = now - end;
  const shown = formatDate(at, style);
  if (done || overdueMs <= 0) {
    const soon = !done && -overdueMs < 7 * 24 * HOUR;
    return (
      <span className="due" data-overdue="false">
        {shown}
        {soon ? <span className="due-soon"> ({formatRelative(end, now)})</span> : null}
      </span>
    );
  }
  const days = Math.abs(daysFrom(end, now) ?? 0);
  const amount =
    days >= 1
      ? plural(days, { one: t('due.day'), other: t('due.days') })
      : plural(Math.max(1, Math.floor(overdueMs / HOUR)), { one: t('due.hour'), other: t('due.hours') });
  return (
    <span className="due due-overdue" data-overdue="true">
      {shown}{' '}
      <strong className="due-overdue-note">
        <span aria-hidden="true">⚠ </span>
        {t('due.overdue', { amount })}
      </strong>
    </span>
  );
}
