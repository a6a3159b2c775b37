/** Pieces the notices pages share: the TLP:AMBER badge, report type, status and severity in words. */
import { translateDynamic, useI18n, useT } from '../../i18n';
import type { NoticeStatus, Severity } from './api';

/** A report type in words where the page knows it ("Åbent fjernskrivebord (RDP)"), else the type as the hub names it. */
export function useTypeLabel(): (type: string) => string {
  const { lang } = useI18n();
  return (type) => translateDynamic(lang, `notices.type.${type}`) ?? type;
}

/** The report type in words, with the hub's name beside it as code. */
export function ReportType({ type }: { type: string }) {
  const label = useTypeLabel()(type);
  return label === type ? (
    <code>{type}</code>
  ) : (
    <>
      {label} <code className="ntc-code">{type}</code>
    </>
  );
}

/** TLP:AMBER, with what it allows in a sentence: never the colour alone. */
export function TlpAmber({ withText = true }: { withText?: boolean }) {
  const t = useT('notices');
  return (
    <p className="ntc-tlp" data-testid="notices-tlp">
      <span className="ntc-tlp-badge">{t('tlpBadge')}</span>
      {withText ? <span> {t('tlpText')}</span> : null}
    </p>
  );
}

const STATUS_MARK: Record<NoticeStatus, string> = { open: '●', acknowledged: '◐', resolved: '✓', not_ours: '✗' };

export function StatusLabel({ status }: { status: NoticeStatus }) {
  const t = useT('notices');
  return (
    <span className={`ntc-status ntc-status-${status}`} data-status={status}>
      <span aria-hidden="true">{STATUS_MARK[status]} </span>
      {t(`status.${status}`)}
    </span>
  );
}

export function SeverityLabel({ severity }: { severity: Severity }) {
  const t = useT('notices');
  return <span className={`ntc-severity ntc-severity-${severity}`}>{t(`severity.${severity}`)}</span>;
}
