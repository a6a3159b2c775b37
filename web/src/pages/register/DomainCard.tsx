import { useState } from 'react';
import { useI18n, useT } from '../../i18n';
import { AsyncView } from '../../ui/AsyncView';
import { ConfirmStep } from '../../ui/ConfirmStep';
import { CopyField } from '../../ui/CopyField';
import { HubDetail } from '../../ui/HubDetail';
import { useAction } from '../../ui/useAction';
import {
  approveDomain,
  challengeDomain,
  verifyDomain,
  verifyFailure,
  type DomainChallenge,
  type ProofStatus,
  type RegisteredDomain,
} from './api';
import { ActionRefused } from './ActionRefused';

const STATUS_MARK: Record<ProofStatus, string> = { unproven: '○', pending: '◐', proven: '✓', approved: '✓' };

function isProofStatus(status: string): status is ProofStatus {
  return status === 'unproven' || status === 'pending' || status === 'proven' || status === 'approved';
}

/** The domain as the registration lists it, from the answer to a challenge. */
function domainOf(answer: DomainChallenge): RegisteredDomain {
  const domain: RegisteredDomain = {
    name: answer.name,
    status: isProofStatus(answer.status) ? answer.status : 'pending',
    challenge: answer.challenge,
  };
  if (answer.method === 'dns' || answer.method === 'coordinator') domain.method = answer.method;
  if (answer.at) domain.at = answer.at;
  if (answer.by) domain.by = answer.by;
  if (answer.reason) domain.reason = answer.reason;
  return domain;
}

/**
 * One registered domain: its proof state in words, and the DNS TXT challenge
 * (a token to publish at _dannevirke-challenge.<domain>, then "Check"); a
 * coordinator approves without DNS, with a reason. Each outcome is said in a
 * live region next to the buttons.
 */
export function DomainCard({
  code,
  memberName,
  domain,
  canWrite,
  canApprove,
  onChange,
}: {
  code: string;
  memberName: string;
  domain: RegisteredDomain;
  canWrite: boolean;
  canApprove: boolean;
  onChange: (domain: RegisteredDomain) => void;
}) {
  const t = useT('register');
  const { formatDate } = useI18n();
  const [approving, setApproving] = useState(false);
  const verify = useAction(async () => {
    const outcome = await verifyDomain(code, domain.name);
    onChange(outcome.domain);
    return outcome;
  });
  const issue = useAction(async () => {
    const answer = await challengeDomain(code, domain.name);
    onChange(domainOf(answer));
    verify.reset();
    return answer;
  });
  const approve = useAction(async (reason: string) => {
    const approved = await approveDomain(code, domain.name, reason);
    onChange(approved);
    setApproving(false);
    return approved;
  });
  const status = domain.status;
  const counts = status === 'proven' || status === 'approved';
  const challenge = domain.challenge;

  return (
    <li className="reg-domain" data-testid="register-domain" data-domain={domain.name} data-status={status}>
      <h3>
        <code>{domain.name}</code>
      </h3>
      <p className={`reg-status reg-status-${status}`} data-testid="register-domain-status">
        <span aria-hidden="true">{STATUS_MARK[status]} </span>
        {t(`status.${status}`)}
      </p>
      <p className="reg-small">
        {t(`statusHelp.${status}`)}
        {status === 'proven' && domain.at ? ` ${t('provenAt', { at: formatDate(domain.at) })}` : ''}
        {status === 'approved' ? (
          <>
            {` ${t('approvedAt', { at: formatDate(domain.at) })} `}
            <span data-user-text>{domain.reason ?? '—'}</span>
          </>
        ) : null}
      </p>

      {challenge && !counts && canWrite ? (
        <div className="reg-challenge" data-testid="register-challenge">
          <h4>{t('howTo')}</h4>
          <p>{t('step1')}</p>
          <CopyField label={t('recordName', { domain: domain.name })} value={challenge.record} testId="register-challenge-record" />
          <CopyField label={t('tokenValue', { domain: domain.name })} value={challenge.token} testId="register-challenge-token" />
          <CopyField
            label={t('zoneLine', { domain: domain.name })}
            value={`${challenge.record}. IN TXT "${challenge.token}"`}
            testId="register-challenge-zone"
          />
          <p>{t('step2')}</p>
          <p className="form-help">{t('tokenBound', { at: formatDate(challenge.issued) })}</p>
        </div>
      ) : null}

      <div className="form-actions">
        {canWrite && !counts ? (
          <button
            type="button"
            className={challenge ? 'button-secondary' : undefined}
            disabled={issue.pending}
            onClick={() => void issue.run()}
            aria-label={challenge ? t('newTokenWhat', { domain: domain.name }) : t('getTokenWhat', { domain: domain.name })}
            data-testid="register-get-token"
          >
            {challenge ? t('newToken') : t('getToken')}
          </button>
        ) : null}
        {canWrite && challenge && !counts ? (
          <button
            type="button"
            disabled={verify.pending}
            onClick={() => void verify.run()}
            aria-label={t('verifyWhat', { domain: domain.name })}
            data-testid="register-verify"
          >
            {verify.pending ? t('checking') : t('verify')}
          </button>
        ) : null}
        {canApprove && !counts ? (
          <ConfirmStep
            open={approving}
            label={t('approve')}
            text={t('approveText', { domain: domain.name, name: memberName })}
            confirmLabel={t('approveConfirm')}
            reasonLabel={t('approveReason')}
            reasonHelp={t('approveReasonHelp')}
            pending={approve.pending}
            onOpen={() => {
              approve.reset();
              setApproving(true);
            }}
            onCancel={() => setApproving(false)}
            onConfirm={(reason) => void approve.run(reason)}
            testId="register-approve"
          />
        ) : null}
      </div>

      <div className="reg-outcome">
        <AsyncView state={issue.state} loading={null} error={(error) => <ActionRefused message={error.serverMessage} />}>
          {() => (
            <p role="status" className="form-ok">
              {t('tokenIssued', { domain: domain.name })}
            </p>
          )}
        </AsyncView>
        <AsyncView
          state={verify.state}
          loading={
            <p role="status" className="reg-small">
              {t('checking')}
            </p>
          }
          error={(error) =>
            error.status === 409 ? (
              <p role="alert" className="form-invalid">
                {t('needToken')}
              </p>
            ) : (
              <ActionRefused message={error.serverMessage} />
            )
          }
        >
          {(outcome) =>
            outcome.proven ? (
              <p role="status" className="form-ok" data-testid="register-verified">
                {t('verified', { domain: domain.name })}
              </p>
            ) : (
              <div role="alert" className="error" data-testid="register-not-verified">
                <p>
                  <strong>{t('notVerified', { domain: domain.name })}</strong>{' '}
                  {t(`verifyFail.${verifyFailure(outcome.reason)}`, { record: challenge?.record ?? '' })}
                </p>
                <HubDetail message={outcome.reason} always={verifyFailure(outcome.reason) === 'other'} />
              </div>
            )
          }
        </AsyncView>
        <AsyncView state={approve.state} loading={null} error={(error) => <ActionRefused message={error.serverMessage} />}>
          {() => (
            <p role="status" className="form-ok" data-testid="register-approved">
              {t('approved', { domain: domain.name })}
            </p>
          )}
        </AsyncView>
      </div>
    </li>
  );
}
