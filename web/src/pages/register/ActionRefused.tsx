import { useT } from '../../i18n';
import { HubDetail } from '../../ui/HubDetail';

/** A refused action (challenge, approval, decision): nothing changed, and the hub's own words. */
export function ActionRefused({ message }: { message: string | null }) {
  const t = useT('register');
  return (
    <div role="alert" className="error">
      <p>{t('actionRefused')}</p>
      <HubDetail message={message} always />
    </div>
  );
}
