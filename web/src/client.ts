// One urql client for the app: same-origin POSTs to /graphql with the session cookie. An expired or missing session
// sends the person to the sign-in page, remembering where they were (see returnAfterSignIn).
import { Client, cacheExchange, fetchExchange, mapExchange } from 'urql';

const RETURN_KEY = 'labshare.returnTo';

let leaving = false;

export function goToSignIn(): void {
  // Several queries may fail at once; one navigation (a second would race the sign-in page's CSRF cookie).
  if (leaving) return;
  leaving = true;
  try {
    sessionStorage.setItem(RETURN_KEY, window.location.pathname + window.location.search);
  } catch {
    // storage off: the person lands on the home page after signing in
  }
  // The server brings the browser back here after sign-in, also when it signs in through another tab (e-mail link).
  window.location.assign(`/auth/sign-in?return=${encodeURIComponent(window.location.pathname + window.location.search)}`);
}

/** Where the person was when their session ended (read once), so sign-in can bring them back. */
export function returnAfterSignIn(): string | null {
  try {
    const path = sessionStorage.getItem(RETURN_KEY);
    sessionStorage.removeItem(RETURN_KEY);
    // Only paths of this app: never an absolute URL someone planted.
    return path && path.startsWith('/') && !path.startsWith('//') ? path : null;
  } catch {
    return null;
  }
}

export function createClient(): Client {
  return new Client({
    url: '/graphql',
    fetchOptions: { credentials: 'same-origin', headers: { 'apollo-require-preflight': 'true' } },
    preferGetMethod: false,
    requestPolicy: 'cache-and-network',
    exchanges: [
      cacheExchange,
      mapExchange({
        onError(error) {
          const unauthenticated =
            error.response?.status === 401 || error.graphQLErrors.some((e) => e.extensions?.code === 'UNAUTHENTICATED');
          if (unauthenticated) goToSignIn();
        },
      }),
      fetchExchange,
    ],
  });
}
