import { useT } from '../../i18n';
import type { PageProps } from '../../nav';
import { useSession } from '../../session';
import { SignInPrompt } from '../../ui/SignInPrompt';
import { MemberDuty } from './MemberDuty';
import { NationalDuty } from './NationalDuty';
import './duty.css';

/**
 * #/duty: the signed-in member's duty — who is on duty, the notifications and
 * their escalation, the rotas as calendar files, the KEV-to-fix clock. For the
 * national coordinator the national figures (never a member's contacts) and a
 * way to one member. #/duty/<code>: one member's duty.
 */
export function DutyPage({ rest }: PageProps) {
  const session = useSession();
  const t = useT('duty');
  if (!session.me) return <SignInPrompt title={t('title')} intro={t('intro')} link={t('signIn')} />;
  const code = rest[0];
  if (code) return <MemberDuty key={code} code={code} />;
  if (session.me.coordinator) return <NationalDuty />;
  return <MemberDuty key={session.me.organisation.code} code={session.me.organisation.code} />;
}
