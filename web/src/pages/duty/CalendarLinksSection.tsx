import { useId, useState } from 'react';
import { useI18n, useT } from '../../i18n';
import { AsyncView } from '../../ui/AsyncView';
import { CopyField } from '../../ui/CopyField';
import { DataTable } from '../../ui/DataTable';
import { ErrorMessage } from '../../ui/ErrorMessage';
import { useAction } from '../../ui/useAction';
import { useAsync } from '../../ui/useAsync';
import { createCalendarLink, listCalendarLinks, revokeCalendarLink, type CalendarLinkCreated, type OnDutyRota } from './api';

/**
 * Calendar subscriptions (the member's own people only): a link per rota that
 * a phone or calendar program subscribes to without a login. The link is
 * shown once; the list names the links, never their tokens; each can be
 * revoked.
 */
export function CalendarLinksSection({ code, rotas }: { code: string; rotas: OnDutyRota[] }) {
  const t = useT('duty');
  const { formatDate } = useI18n();
  const selectId = useId();
  const [rota, setRota] = useState(rotas[0]?.rota ?? '');
  const [made, setMade] = useState<CalendarLinkCreated | null>(null);
  const [links, retry] = useAsync((signal) => listCalendarLinks(code, signal), [code, made]);
  const create = useAction(async () => {
    const link = await createCalendarLink(code, rota);
    setMade(link);
    return link;
  });
  const revoke = useAction(async (id: string) => {
    await revokeCalendarLink(code, id);
    if (made?.id === id) setMade(null);
    retry();
    return id;
  });
  const rotaName = (id: string) => rotas.find((item) => item.rota === id)?.name || id;
  return (
    <section className="duty-subsection" aria-labelledby="duty-subscriptions" data-testid="duty-subscriptions">
      <h3 id="duty-subscriptions">{t('subscriptionsHeading')}</h3>
      <p>{t('subscriptionsIntro')}</p>
      <form
        className="duty-subscribe"
        onSubmit={(event) => {
          event.preventDefault();
          void create.run();
        }}
      >
        <label htmlFor={selectId}>{t('subscriptionRota')}</label>
        <select id={selectId} value={rota} onChange={(event) => setRota(event.target.value)}>
          {rotas.map((item) => (
            <option key={item.rota} value={item.rota}>
              {item.name || item.rota}
            </option>
          ))}
        </select>
        <button type="submit" disabled={create.pending || !rota} data-testid="duty-subscribe">
          {t('subscriptionCreate')}
        </button>
      </form>
      {create.state.status === 'error' ? <ErrorMessage error={create.state.error} /> : null}
      {made ? (
        <div className="duty-new-link" data-testid="duty-new-link">
          <CopyField label={t('subscriptionUrl', { rota: rotaName(made.rota) })} value={made.url} testId="duty-link-url" />
          <p className="warning">{t('subscriptionOnce')}</p>
        </div>
      ) : null}
      <AsyncView state={links} retry={retry}>
        {(data) => (
          <DataTable
            rows={data}
            rowKey={(link) => link.id}
            caption={t('subscriptionsCaption')}
            className="table member-table"
            testId="duty-links"
            empty={t('subscriptionsEmpty')}
            rowProps={(link) => ({ 'data-link': link.id })}
            columns={[
              { id: 'rota', header: t('col.rota'), value: (link) => rotaName(link.rota), rowHeader: true },
              {
                id: 'created',
                header: t('col.created'),
                value: (link) => link.created,
                cell: (link) => formatDate(link.created),
              },
              { id: 'by', header: t('col.createdBy'), value: (link) => link.created_by },
              {
                id: 'revoke',
                header: t('col.revoke'),
                sortable: false,
                cell: (link) => (
                  <button
                    type="button"
                    className="button-secondary"
                    disabled={revoke.pending}
                    aria-label={t('subscriptionRevokeWhat', { rota: rotaName(link.rota), id: link.id })}
                    onClick={() => void revoke.run(link.id)}
                  >
                    {t('subscriptionRevoke')}
                  </button>
                ),
              },
            ]}
          />
        )}
      </AsyncView>
      <span role="status" className="duty-small">
        {revoke.state.status === 'ok' ? t('subscriptionRevoked') : ''}
      </span>
      {revoke.state.status === 'error' ? <ErrorMessage error={revoke.state.error} /> : null}
    </section>
  );
}
