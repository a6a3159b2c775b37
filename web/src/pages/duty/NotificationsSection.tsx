import { useRef, useState } from 'react';
import { useI18n, useT } from '../../i18n';
import { useSession } from '../../session';
import { AsyncView } from '../../ui/AsyncView';
import { DataTable } from '../../ui/DataTable';
import { useAction } from '../../ui/useAction';
import { useAsync } from '../../ui/useAsync';
import { noticeHref } from '../notices/api';
import { useTypeLabel } from '../notices/common';
import { acknowledge, isChannel, listNotifications, type Delivery, type DutyNotification } from './api';
import { ChannelLabel, Participant, PhaseLabel, SeverityLabel, useDeliveryError, useKindLabel, useViaLabel, type Names } from './common';

/** A notification is open while it has an escalation nobody acknowledged (active, or ended unacknowledged). */
export function isOpen(notification: DutyNotification): boolean {
  return notification.state !== undefined && notification.state.acknowledged === undefined;
}

/**
 * The member's notifications in three lists: open ones with their escalation
 * and an acknowledge button, the acknowledged, and those no route passed on.
 */
export function NotificationsSection({ code, names }: { code: string; names: Names }) {
  const t = useT('duty');
  const [state, retry, replace] = useAsync((signal) => listNotifications(code, signal), [code]);
  // The acknowledged notification moves to the second list: the outcome is said (and focused) here, where it stays.
  const [message, setMessage] = useState('');
  const statusRef = useRef<HTMLParagraphElement>(null);
  const update = (changed: DutyNotification) => {
    if (state.status !== 'ok') return;
    replace({
      ...state.data,
      notifications: state.data.notifications.map((item) => (item.id === changed.id ? { ...item, ...changed } : item)),
    });
    setMessage(t('acknowledged'));
    window.setTimeout(() => statusRef.current?.focus(), 0);
  };
  return (
    <section className="panel" aria-labelledby="duty-notifications" data-testid="duty-notifications">
      <h2 id="duty-notifications">{t('notificationsHeading')}</h2>
      <p>{t('notificationsIntro')}</p>
      <p role="status" className={message ? 'form-ok' : 'duty-status-empty'} tabIndex={-1} ref={statusRef} data-testid="duty-ack-done">
        {message}
      </p>
      <AsyncView state={state} retry={retry}>
        {(data) => {
          const open = data.notifications.filter(isOpen);
          const acknowledged = data.notifications.filter((item) => item.state?.acknowledged !== undefined);
          const notRouted = data.notifications.filter((item) => item.state === undefined);
          const list = (items: DutyNotification[], testId: string) => (
            <ul className="duty-list" data-testid={testId}>
              {items.map((item) => (
                <li key={item.id}>
                  <NotificationCard code={code} notification={item} names={names} onChanged={update} />
                </li>
              ))}
            </ul>
          );
          return (
            <>
              <h3>{t('openHeading')}</h3>
              {open.length === 0 ? (
                <p className="empty" data-testid="duty-open-empty">
                  {t('openEmpty')}
                </p>
              ) : (
                list(open, 'duty-open')
              )}
              <h3>{t('closedHeading')}</h3>
              {acknowledged.length === 0 ? <p className="empty">{t('closedEmpty')}</p> : list(acknowledged, 'duty-closed')}
              {notRouted.length > 0 ? (
                <>
                  <h3>{t('notRoutedHeading')}</h3>
                  <p className="note" data-testid="duty-not-routed">
                    {t('notRouted')}
                  </p>
                  {list(notRouted, 'duty-not-routed-list')}
                </>
              ) : null}
            </>
          );
        }}
      </AsyncView>
    </section>
  );
}

function NotificationCard({
  code,
  notification,
  names,
  onChanged,
}: {
  code: string;
  notification: DutyNotification;
  names: Names;
  onChanged: (changed: DutyNotification) => void;
}) {
  const t = useT('duty');
  const { formatDate, formatNumber } = useI18n();
  const typeLabel = useTypeLabel();
  const { me } = useSession();
  const kindLabel = useKindLabel();
  const refusedRef = useRef<HTMLParagraphElement>(null);
  const ack = useAction(() => acknowledge(notification.id));
  const headingId = `duty-n-${notification.id}`;
  const state = notification.state;
  // The title in the page's words: the event kind and what it is about (a report type, a CVE), never the hub's raw codes.
  const about = notification.event.group_key.split('|')[2] ?? '';
  const aboutLabel = notification.event.kind === 'outside_report' ? typeLabel(about) : about;
  const subject = about ? `${kindLabel(notification.event.kind)}: ${aboutLabel}` : kindLabel(notification.event.kind);
  const own = me?.organisation.code === code;
  const canAck = Boolean(me?.coordinator || (me?.role === 'member' && own));
  const more = notification.more ?? 0;
  const deliveries = notification.deliveries ?? [];

  const run = async () => {
    const changed = await ack.run();
    if (changed) onChanged(changed);
    else window.setTimeout(() => refusedRef.current?.focus(), 0);
  };

  const acknowledgedBy = (by: string) => (by.startsWith('link:') ? t('ackByLink') : t('ackByMember'));

  return (
    <article
      className="duty-card"
      aria-labelledby={headingId}
      data-testid="duty-notification"
      data-id={notification.id}
      data-phase={state?.phase ?? 'not_routed'}
    >
      <h4 id={headingId}>
        {kindLabel(notification.event.kind)}
        {about ? (
          <>
            {': '}
            {aboutLabel === about ? <code>{about}</code> : aboutLabel}
          </>
        ) : null}
        {more > 0 ? (
          <span className="duty-more" data-testid="duty-more">
            {' '}
            {t('more', { count: formatNumber(more) })}
          </span>
        ) : null}
      </h4>
      <dl className="facts duty-facts">
        <div>
          <dt>{t('fact.event')}</dt>
          <dd>{kindLabel(notification.event.kind)}</dd>
        </div>
        <div>
          <dt>{t('fact.severity')}</dt>
          <dd>
            <SeverityLabel severity={notification.event.severity} />
          </dd>
        </div>
        {notification.event.kind === 'outside_report' && notification.event.reference ? (
          <div>
            <dt>{t('fact.report')}</dt>
            <dd>
              <a href={noticeHref(code, notification.event.reference)}>{t('openReport')}</a>
            </dd>
          </div>
        ) : null}
        <div>
          <dt>{t('fact.created')}</dt>
          <dd>{formatDate(notification.created)}</dd>
        </div>
        {state ? (
          <>
            <div>
              <dt>{t('fact.phase')}</dt>
              <dd data-testid="duty-phase">
                <PhaseLabel phase={state.phase} />
              </dd>
            </div>
            <div>
              <dt>{state.phase === 'active' ? t('fact.nextStep') : t('fact.step')}</dt>
              <dd data-testid="duty-step">
                {t('stepValue', { step: state.step + 1, run: state.run + 1 })}
                {state.phase === 'active' ? ` (${formatDate(state.due_at)})` : ''}
              </dd>
            </div>
            {state.acknowledged ? (
              <div>
                <dt>{t('fact.acknowledged')}</dt>
                <dd data-testid="duty-acknowledged">
                  {t('acknowledgedBy', { at: formatDate(state.acknowledged.at), by: acknowledgedBy(state.acknowledged.by) })}
                </dd>
              </div>
            ) : null}
          </>
        ) : null}
      </dl>
      {state ? <DeliveryTable deliveries={deliveries} names={names} subject={subject} /> : null}
      {state && !state.acknowledged ? (
        canAck ? (
          <div className="form-actions">
            <button
              type="button"
              onClick={() => void run()}
              disabled={ack.pending}
              aria-label={t('acknowledgeLabel', { subject })}
              data-testid="duty-ack"
            >
              {ack.pending ? t('acknowledging') : t('acknowledge')}
            </button>
          </div>
        ) : (
          <p className="duty-small">{t('ackReadOnly')}</p>
        )
      ) : null}
      {ack.state.status === 'error' ? (
        <p role="alert" className="warning" tabIndex={-1} ref={refusedRef} data-testid="duty-ack-refused">
          {ack.state.error.status === 409 ? t('ackConflict') : t('ackFailed')}
        </p>
      ) : null}
    </article>
  );
}

/** Who each step tried to reach, on which channel, and whether delivery succeeded (never the address). */
function DeliveryTable({ deliveries, names, subject }: { deliveries: Delivery[]; names: Names; subject: string }) {
  const t = useT('duty');
  const viaLabel = useViaLabel();
  const errorText = useDeliveryError();
  if (deliveries.length === 0) return <p className="empty">{t('deliveriesEmpty')}</p>;
  return (
    <DataTable
      rows={deliveries}
      rowKey={(delivery) => `${delivery.at}|${delivery.participant}|${delivery.channel}|${delivery.run}|${delivery.step}`}
      caption={`${t('deliveriesCaption')}: ${subject}`}
      className="table member-table duty-deliveries"
      testId="duty-deliveries"
      initialSort={{ column: 'at', direction: 'ascending' }}
      rowProps={(delivery) => ({ 'data-participant': delivery.participant, 'data-channel': delivery.channel, 'data-ok': delivery.ok })}
      columns={[
        { id: 'at', header: t('col.at'), value: (delivery) => delivery.at, format: 'datetime' },
        {
          id: 'person',
          header: t('col.person'),
          value: (delivery) => names.get(delivery.participant) ?? delivery.participant,
          rowHeader: true,
          cell: (delivery) => <Participant id={delivery.participant} names={names} />,
        },
        {
          id: 'step',
          header: t('col.step'),
          value: (delivery) => delivery.step + 1,
          cell: (delivery) => t('stepValue', { step: delivery.step + 1, run: delivery.run + 1 }),
        },
        { id: 'via', header: t('col.via'), value: (delivery) => viaLabel(delivery.via) },
        {
          id: 'channel',
          header: t('col.channel'),
          value: (delivery) => delivery.channel,
          cell: (delivery) => (isChannel(delivery.channel) ? <ChannelLabel channel={delivery.channel} /> : <code>{delivery.channel}</code>),
        },
        {
          id: 'ok',
          header: t('col.delivered'),
          value: (delivery) => (delivery.ok ? 1 : 0),
          cell: (delivery) =>
            delivery.ok ? (
              <span className="duty-ok" data-testid="duty-delivered">
                <span aria-hidden="true">✓ </span>
                {t('delivered')}
              </span>
            ) : (
              <span className="duty-failed" data-testid="duty-not-delivered">
                <span aria-hidden="true">✗ </span>
                {t('notDelivered')}
                {delivery.error ? ` (${errorText(delivery.error)})` : ''}
              </span>
            ),
        },
      ]}
    />
  );
}
