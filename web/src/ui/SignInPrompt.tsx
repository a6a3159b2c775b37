import { useSession } from '../session';
import { Loading } from './Loading';

/**
 * What a page that needs a signed-in member shows when signed out: its title,
 * an optional intro and a sign-in link. While a stored sign-in is being
 * restored after a reload (a token, no member yet) it shows the title and
 * "loading" instead, so a signed-in person never sees "sign in" flash by.
 */
export function SignInPrompt({ title, intro, link }: { title: string; intro?: string; link: string }) {
  const { token } = useSession();
  if (token) {
    return (
      <section className="panel" aria-busy="true" data-testid="session-restoring">
        <h1>{title}</h1>
        <Loading />
      </section>
    );
  }
  return (
    <section className="panel">
      <h1>{title}</h1>
      {intro ? <p>{intro}</p> : null}
      <p>
        <a href="#/login">{link}</a>
      </p>
    </section>
  );
}
