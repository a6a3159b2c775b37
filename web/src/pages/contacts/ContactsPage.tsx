import { useT } from '../../i18n';
import type { PageProps } from '../../nav';
import { useSession } from '../../session';
import { MemberPicker } from '../../ui/MemberPicker';
import { SignInPrompt } from '../../ui/SignInPrompt';
import { useOrganisations } from '../../ui/useOrganisations';
import { MemberContactsView } from './MemberContacts';
import './contacts.css';

/**
 * #/contacts: the signed-in member's contacts (personal data: the member's
 * own people and coordinators read them, every read is logged).
 * #/contacts/<code>: one member's contacts, read-only for a coordinator.
 */
export function ContactsPage({ rest }: PageProps) {
  const session = useSession();
  const t = useT('contacts');
  if (!session.me) return <SignInPrompt title={t('title')} intro={t('intro')} link={t('signIn')} />;
  const code = rest[0];
  if (code) return <MemberContactsView key={code} code={code} />;
  if (session.me.coordinator) return <NationalContacts />;
  return <MemberContactsView key={session.me.organisation.code} code={session.me.organisation.code} />;
}

/** The coordinator reaches one member's contacts at a time; there is no national list of them. */
function NationalContacts() {
  const t = useT('contacts');
  const orgs = useOrganisations();
  return (
    <div className="con-page" data-testid="contacts-national">
      <section className="panel" aria-labelledby="con-national">
        <h1 id="con-national">{t('nationalHeading')}</h1>
        <p>{t('nationalIntro')}</p>
        <p className="note">{t('privacy')}</p>
        <MemberPicker orgs={orgs} label={t('pickMember')} hrefOf={(code) => `#/contacts/${encodeURIComponent(code)}`} testId="contacts-picker" />
      </section>
    </div>
  );
}
