import { useT } from '../../i18n';
import type { PageProps } from '../../nav';
import { useSession } from '../../session';
import { SignInPrompt } from '../../ui/SignInPrompt';
import { MemberProtection } from './MemberProtection';
import { NationalView } from './NationalView';
import './protection.css';

/**
 * #/protection: a member's own protection feed; for the national
 * coordinator the national view. #/protection/<code>: one member's page
 * (a coordinator sees the profile; the feed is the member's own).
 */
export function ProtectionPage({ rest }: PageProps) {
  const session = useSession();
  const t = useT('protection');
  if (!session.me) return <SignInPrompt title={t('title')} intro={t('intro')} link={t('signIn')} />;
  const code = rest[0];
  if (code) return <MemberProtection key={code} code={code} />;
  if (session.me.coordinator) return <NationalView />;
  return <MemberProtection key={session.me.organisation.code} code={session.me.organisation.code} />;
}
