import { useState, type FormEvent } from 'react';
import { useI18n, useT } from '../../i18n';
import { AsyncView } from '../../ui/AsyncView';
import { ConfirmStep } from '../../ui/ConfirmStep';
import { CopyField } from '../../ui/CopyField';
import { DataTable } from '../../ui/DataTable';
import { useAction } from '../../ui/useAction';
import { useAsync } from '../../ui/useAsync';
import { createToken, listTokens, revokeToken, type CreatedFeedToken } from './api';
import { ConnectHelp, feedUrls } from './ConnectHelp';

/** The member's read-only feed tokens: create one (its URLs shown once), list, revoke. */
export function TokensSection({ code }: { code: string }) {
  const t = useT('protection');
  const { formatDate } = useI18n();
  const [version, setVersion] = useState(0);
  const [tokens, retry] = useAsync((signal) => listTokens(code, signal), [code, version]);
  const [label, setLabel] = useState('');
  const [revoking, setRevoking] = useState<string | null>(null);
  const create = useAction(async (text: string): Promise<CreatedFeedToken> => {
    const created = await createToken(code, text);
    setLabel('');
    setVersion((n) => n + 1);
    return created;
  });
  const revoke = useAction(async (id: string) => {
    await revokeToken(code, id);
    setRevoking(null);
    setVersion((n) => n + 1);
    return id;
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (label.trim() !== '') void create.run(label.trim());
  };

  return (
    <section className="panel" aria-labelledby="prot-tokens" data-testid="protection-tokens">
      <h2 id="prot-tokens">{t('tokensHeading')}</h2>
      <p className="muted">{t('tokensIntro')}</p>
      <AsyncView
        state={tokens}
        retry={retry}
        error={(error) => (error.kind === 'not_found' ? <p className="empty">{t('unavailable')}</p> : undefined)}
      >
        {(list) => (
          <>
            <form className="prot-inline-form" onSubmit={submit}>
              <div className="prot-field">
                <label htmlFor="prot-token-label">{t('tokenLabel')}</label>
                <span className="prot-help" id="prot-token-label-help">
                  {t('tokenLabelHelp')}
                </span>
                <input
                  id="prot-token-label"
                  type="text"
                  value={label}
                  maxLength={200}
                  aria-describedby="prot-token-label-help"
                  onChange={(event) => setLabel(event.target.value)}
                  data-testid="token-label"
                />
              </div>
              <button type="submit" disabled={create.pending || label.trim() === ''} data-testid="token-create">
                {t('createToken')}
              </button>
            </form>
            <AsyncView state={create.state} loading={null}>
              {(created) => <CreatedToken created={created} />}
            </AsyncView>
            <AsyncView state={revoke.state} loading={null}>
              {() => null}
            </AsyncView>
            <DataTable
              rows={list}
              rowKey={(token) => token.id}
              ariaLabel={t('tokensHeading')}
              className="table member-table"
              testId="token-table"
              empty={t('tokensEmpty')}
              rowProps={(token) => ({ 'data-id': token.id })}
              columns={[
                { id: 'label', header: t('col.label'), value: (token) => token.label, rowHeader: true },
                { id: 'created', header: t('col.created'), value: (token) => token.created, format: 'datetime' },
                {
                  id: 'last_used',
                  header: t('col.lastUsed'),
                  value: (token) => token.last_used ?? '',
                  cell: (token) => (token.last_used ? formatDate(token.last_used) : t('never')),
                },
                {
                  id: 'actions',
                  header: t('col.actions'),
                  sortable: false,
                  cell: (token) => (
                    <ConfirmStep
                      open={revoking === token.id}
                      label={t('revoke')}
                      text={t('revokeText', { label: token.label })}
                      confirmLabel={t('revokeConfirm')}
                      pending={revoke.pending}
                      danger
                      onOpen={() => setRevoking(token.id)}
                      onCancel={() => setRevoking(null)}
                      onConfirm={() => void revoke.run(token.id)}
                      testId={`revoke-${token.id}`}
                    />
                  ),
                },
              ]}
            />
          </>
        )}
      </AsyncView>
    </section>
  );
}

function CreatedToken({ created }: { created: CreatedFeedToken }) {
  const t = useT('protection');
  const urls = feedUrls(created.token);
  return (
    <div className="prot-created" role="status" data-testid="token-created">
      <p>
        <strong>{t('tokenCreated')}</strong>
      </p>
      <CopyField label={t('url.rpz')} value={urls.rpz} testId="token-url-rpz" />
      <CopyField label={t('url.rpzMonitor')} value={urls.rpzMonitor} />
      <CopyField label={`${t('url.paloalto')} (${t('addressesList')})`} value={urls.paloaltoAddress} />
      <CopyField label={`${t('url.paloalto')} (${t('domainsList')})`} value={urls.paloaltoDomain} />
      <ConnectHelp token={created.token} embedded />
    </div>
  );
}
