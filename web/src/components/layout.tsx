// Header, navigation and the main landmark shared by every page.
import { useEffect, useRef, type ReactNode } from 'react';
import { Link, useLocation } from 'wouter';
import { useMutation } from 'urql';
import { graphql } from '../gql';
import { useT, type MessageId } from '../i18n';
import { managesLabs, useViewer } from '../viewer';

const SignOutMutation = graphql(`
  mutation SignOut {
    signOut {
      signedOut
    }
  }
`);

const NAV: { href: string; label: MessageId }[] = [
  { href: '/', label: 'nav.home' },
  { href: '/find', label: 'nav.find' },
  { href: '/bookings', label: 'nav.bookings' },
  { href: '/profile', label: 'nav.profile' },
];
// Lab managers and admins also run labs.
const MANAGER_NAV: { href: string; label: MessageId }[] = [
  { href: '/approvals', label: 'nav.approvals' },
  { href: '/labs', label: 'nav.labs' },
  { href: '/usage', label: 'nav.usage' },
];
const ADMIN_NAV: { href: string; label: MessageId }[] = [{ href: '/platform', label: 'nav.platform' }];

export function Layout({ children }: { children: ReactNode }) {
  const t = useT();
  const viewer = useViewer();
  const [location] = useLocation();
  const [, signOut] = useMutation(SignOutMutation);
  const main = useRef<HTMLElement>(null);
  const first = useRef(true);

  // After navigating, move focus to the new page so keyboard and screen-reader users start at its content.
  useEffect(() => {
    if (first.current) {
      first.current = false;
      return;
    }
    main.current?.focus();
  }, [location]);

  return (
    <>
      <a className="skip-link" href="#main">
        {t('nav.skip')}
      </a>
      <header className="top">
        <Link href="/" className="brand">
          LabShare
        </Link>
        <nav aria-label={t('nav.label')}>
          <ul>
            {[...NAV, ...(managesLabs(viewer) ? MANAGER_NAV : []), ...(viewer.isAdmin ? ADMIN_NAV : [])].map((item) => (
              <li key={item.href}>
                <Link href={item.href} aria-current={location === item.href ? 'page' : undefined}>
                  {t(item.label)}
                </Link>
              </li>
            ))}
          </ul>
        </nav>
        <div className="who">
          <span>{viewer.name}</span>
          <button
            type="button"
            className="link-button"
            onClick={async () => {
              await signOut({});
              window.location.assign('/auth/sign-in');
            }}
          >
            {t('nav.signOut')}
          </button>
        </div>
      </header>
      <main id="main" ref={main} tabIndex={-1}>
        {children}
      </main>
    </>
  );
}
