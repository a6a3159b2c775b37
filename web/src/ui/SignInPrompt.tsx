/** What a page that needs a signed-in member shows when signed out: its title, an optional intro and a sign-in link. */
export function SignInPrompt({ title, intro, link }: { title: string; intro?: string; link: string }) {
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
