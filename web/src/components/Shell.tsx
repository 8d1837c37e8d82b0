import { api } from '../api/client';
import type { Session } from '../api/types';
import { useMutation } from '../hooks/useMutation';
import { useLocation } from '../router';
import { paths, routeOf, type Route } from '../routes';
import { ActivityPage } from '../pages/ActivityPage';
import { AddDomainPage } from '../pages/AddDomainPage';
import { AddDomainsPage } from '../pages/AddDomainsPage';
import { AddMailboxPage } from '../pages/AddMailboxPage';
import { AddSubdomainPage } from '../pages/AddSubdomainPage';
import { AliasesPage } from '../pages/AliasesPage';
import { DomainPage } from '../pages/DomainPage';
import { DomainsPage } from '../pages/DomainsPage';
import { MailboxesPage } from '../pages/MailboxesPage';
import { NotFoundPage } from '../pages/NotFoundPage';
import { TokensPage } from '../pages/TokensPage';
import { TwoFactorPage } from '../pages/TwoFactorPage';
import { Link } from './Link';
import { Logo } from './Logo';

const NAV = [
  {
    to: paths.domains,
    label: 'Domains',
    section: ['domains', 'add-domain', 'add-domains', 'domain', 'add-subdomain'],
  },
  { to: paths.mailboxes, label: 'Mailboxes', section: ['mailboxes', 'add-mailbox'] },
  { to: paths.aliases, label: 'Aliases', section: ['aliases'] },
  { to: paths.activity, label: 'Activity', section: ['activity'] },
  { to: paths.tokens, label: 'API tokens', section: ['tokens'] },
  { to: paths.twoFactor, label: 'Two-factor sign-in', section: ['two-factor'] },
] as const;

function page(route: Route, session: Session, onSessionChanged: () => void) {
  switch (route.page) {
    case 'domains':
      return <DomainsPage />;
    case 'add-domain':
      return <AddDomainPage />;
    case 'add-domains':
      return <AddDomainsPage />;
    case 'domain':
      // A new key per domain, so moving between domains starts each page afresh.
      return <DomainPage key={route.name} name={route.name} />;
    case 'add-subdomain':
      return <AddSubdomainPage parent={route.parent} />;
    case 'mailboxes':
      return <MailboxesPage />;
    case 'add-mailbox':
      return <AddMailboxPage initialDomain={route.domain} />;
    case 'aliases':
      return <AliasesPage />;
    case 'activity':
      return <ActivityPage />;
    case 'tokens':
      return <TokensPage />;
    case 'two-factor':
      return <TwoFactorPage session={session} onChanged={onSessionChanged} />;
    case 'not-found':
      return <NotFoundPage />;
  }
}

/** The signed-in console: navigation on the left, the current page on the right. */
export function Shell({
  session,
  onSignedOut,
  onSessionChanged,
}: {
  session: Session;
  onSignedOut: () => void;
  onSessionChanged: () => void;
}) {
  const { path, query } = useLocation();
  const route = routeOf(path, query);
  // Signed out here whatever the server answers: the session is no use to this page any more.
  const signOut = useMutation(() => api.DELETE('/v1/session').finally(onSignedOut));

  return (
    <div className="shell">
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <aside className="sidebar">
        <div className="sidebar-inner">
          <Link to={paths.domains} className="brand">
            <Logo />
            Mailwright
          </Link>
          <nav aria-label="Main">
            <ul className="nav">
              {NAV.map((item) => (
                <li key={item.to}>
                  <Link
                    to={item.to}
                    className="nav-link"
                    aria-current={
                      (item.section as readonly string[]).includes(route.page) ? 'page' : undefined
                    }
                  >
                    {item.label}
                  </Link>
                </li>
              ))}
            </ul>
          </nav>
          <div className="account">
            <p className="account-email">{session.user.email}</p>
            <p className="account-name">{session.account.name}</p>
            <button
              type="button"
              className="button button-small button-secondary"
              disabled={signOut.busy}
              onClick={() => signOut.run()}
            >
              Sign out
            </button>
          </div>
        </div>
      </aside>
      <main id="main" className="main" tabIndex={-1}>
        {session.totp.required && !session.totp.enabled ? (
          // The API lets such a session do nothing but enrol.
          <TwoFactorPage session={session} onChanged={onSessionChanged} />
        ) : (
          page(route, session, onSessionChanged)
        )}
      </main>
    </div>
  );
}
