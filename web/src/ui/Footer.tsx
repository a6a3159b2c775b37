import { getHealth } from '../api';
import { useI18n } from '../i18n';
import { useAsync } from './useAsync';

export function Footer() {
  const { t } = useI18n();
  const [health] = useAsync((signal) => getHealth(signal), []);
  let status: string;
  let cls = 'hub-status';
  if (health.status === 'ok') {
    status = t('hub.version', { version: health.data.version });
    cls += ' hub-status--ok';
  } else if (health.status === 'error') {
    status = t('hub.unreachable');
    cls += ' hub-status--error';
  } else {
    status = t('common.loading');
  }
  return (
    <footer className="footer">
      <span>{t('app.title')}</span>
      <span data-testid="time-zone-note">{t('time.zoneNote')}</span>
      <span className={cls} data-testid="hub-status">
        {status}
      </span>
    </footer>
  );
}
