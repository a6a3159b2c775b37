/** Pieces the duty pages share: participants, event kinds, phases, channels and figures in words. */
import { useI18n, useT } from '../../i18n';
import type { Channel, KevFigures, Phase, Severity } from './api';
import { isEventKind } from './api';
import { readableCode } from '../../ui/format';

/** Contact id -> name, for the member's own contacts only (empty for anyone else). */
export type Names = ReadonlyMap<string, string>;

/** A participant by name when it is one of the member's own contacts; else its id, never another member's details. */
export function Participant({ id, names }: { id: string; names: Names }) {
  const t = useT('duty');
  if (id.startsWith('member:')) {
    return (
      <span data-participant={id}>
        <code>{id}</code> ({t('otherMember')})
      </span>
    );
  }
  const name = names.get(id);
  return <span data-participant={id}>{name ?? <code>{id}</code>}</span>;
}

export function useKindLabel(): (kind: string) => string {
  const t = useT('duty');
  return (kind) => (isEventKind(kind) ? t(`kind.${kind}`) : readableCode(kind));
}

const PHASE_MARK: Record<Phase, string> = { active: '●', acknowledged: '✓', unacknowledged: '!' };

export function PhaseLabel({ phase }: { phase: Phase }) {
  const t = useT('duty');
  return (
    <span className={`duty-phase duty-phase-${phase}`} data-phase={phase}>
      <span aria-hidden="true">{PHASE_MARK[phase]} </span>
      {t(`phase.${phase}`)}
    </span>
  );
}

export function SeverityLabel({ severity }: { severity: Severity }) {
  const t = useT('duty');
  return <span className={`duty-severity duty-severity-${severity}`}>{t(`severity.${severity}`)}</span>;
}

export function ChannelLabel({ channel }: { channel: Channel }) {
  const t = useT('duty');
  return <>{t(`channel.${channel}`)}</>;
}

/** The target that reached someone ("rota:soc") in words. */
export function useViaLabel(): (via: string) => string {
  const t = useT('duty');
  return (via) => {
    const [kind = '', ref = ''] = via.split(/:(.*)/s);
    if (kind === 'rota') return t('via.rota', { ref });
    if (kind === 'pool') return t('via.pool', { ref });
    if (kind === 'contact') return t('via.contact');
    if (kind === 'coordinator') return t('via.coordinator');
    return t('via.other');
  };
}

/** Why a delivery failed, in words for the known causes (the hub's messages are English). */
export function useDeliveryError(): (error: string) => string {
  const t = useT('duty');
  return (error) => {
    if (/no SMTP server/.test(error)) return t('error.smtp');
    if (/no SMS gateway/.test(error)) return t('error.sms');
    if (/no webhook secret/.test(error)) return t('error.webhookSecret');
    if (/no such contact/.test(error)) return t('error.noContact');
    if (/has no channel/.test(error)) return t('error.noChannel');
    if (/contacts could not be read/.test(error)) return t('error.contacts');
    return t('error.other');
  };
}

export const FIGURES = [
  'findings',
  'fixed',
  'not_applicable',
  'open',
  'open_overdue',
  'median_days_to_fix',
  'p90_days_to_fix',
  'acknowledged',
  'median_minutes_to_acknowledge',
  'p90_minutes_to_acknowledge',
] as const satisfies readonly (keyof KevFigures)[];
export type Figure = (typeof FIGURES)[number];

/** A figure as a number in the page's language, or "no data". */
export function useFigure(): (figures: KevFigures | undefined, figure: Figure) => string {
  const t = useT('duty');
  const { formatNumber } = useI18n();
  return (figures, figure) => {
    const value = figures?.[figure];
    if (value === null || value === undefined) return t('noFigure');
    return Number.isInteger(value) ? formatNumber(value) : formatNumber(value, 1);
  };
}

/** The KEV clock's figures as a table: one column per set (the member, the nation). */
export function FiguresTable({
  caption,
  sets,
  testId,
}: {
  caption: string;
  sets: { id: string; header: string; figures: KevFigures | undefined }[];
  testId: string;
}) {
  const t = useT('duty');
  const figure = useFigure();
  return (
    <div className="table-wrap">
      <table className="table member-table duty-figures" data-testid={testId}>
        <caption>{caption}</caption>
        <thead>
          <tr>
            <th scope="col">{t('col.measure')}</th>
            {sets.map((set) => (
              <th scope="col" className="num" key={set.id}>
                {set.header}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {FIGURES.map((name) => (
            <tr key={name} data-figure={name}>
              <th scope="row">{t(`figure.${name}`)}</th>
              {sets.map((set) => (
                <td className="num" key={set.id} data-set={set.id}>
                  {figure(set.figures, name)}
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
