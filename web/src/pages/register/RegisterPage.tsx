import { useT } from '../../i18n';
import type { PageProps } from '../../nav';
import { useSession } from '../../session';
import { SignInPrompt } from '../../ui/SignInPrompt';
import { MemberRegister } from './MemberRegister';
import { NationalRegister } from './NationalRegister';
import './register.css';

/**
 * #/register: the signed-in member's domains, networks, AS numbers and
 * services with their proofs and conflicts; for the national coordinator the
 * national view. #/register/<code>: one member's registration (its own
 * principals and coordinators; anyone else is refused by the hub).
 */
export function RegisterPage({ rest }: PageProps) {
  const session = useSession();
  const t = useT('register');
  if (!session.me) return <SignInPrompt title={t('title')} intro={t('intro')} link={t('signIn')} />;
  const code = rest[0];
  if (code) return <MemberRegister key={code} code={code} />;
  if (session.me.coordinator) return <NationalRegister />;
  return <MemberRegister key={session.me.organisation.code} code={session.me.organisation.code} />;
}
