// The signed-in shell: who is viewing (their zone and language), the navigation, and the pages. Pages other than
// home load on demand so the first page's JavaScript stays small.
import { lazy, Suspense, useEffect, useMemo } from 'react';
import { Route, Switch, useLocation } from 'wouter';
import { useQuery } from 'urql';
import { returnAfterSignIn } from './client';
import { ErrorBox, Loading } from './components/error-box';
import { Layout } from './components/layout';
import { graphql } from './gql';
import { LanguageProvider } from './i18n';
import { HomePage } from './scenes/home/home-page';
import { ViewerContext, type Viewer } from './viewer';

const pages = {
  find: () => import('./scenes/find/find-page'),
  instrument: () => import('./scenes/instrument/instrument-page'),
  bookings: () => import('./scenes/bookings/my-bookings-page'),
  profile: () => import('./scenes/profile/profile-page'),
  approvals: () => import('./scenes/approvals/approvals-page'),
  labSettings: () => import('./scenes/lab-settings/lab-settings-page'),
  usage: () => import('./scenes/usage/usage-page'),
  platform: () => import('./scenes/platform/platform-page'),
};
// The page a deep link opens starts loading now, beside the viewer query, instead of after it.
const opening = /^\/(find|instruments|bookings|profile|approvals|labs|usage|platform)\b/.exec(window.location.pathname)?.[1];
if (opening) void pages[opening === 'instruments' ? 'instrument' : opening === 'labs' ? 'labSettings' : (opening as keyof typeof pages)]();

const FindPage = lazy(pages.find);
const InstrumentPage = lazy(pages.instrument);
const MyBookingsPage = lazy(pages.bookings);
const ProfilePage = lazy(pages.profile);
const ApprovalsPage = lazy(pages.approvals);
const LabSettingsPage = lazy(pages.labSettings);
const UsagePage = lazy(pages.usage);
const PlatformPage = lazy(pages.platform);
const LabPicker = lazy(async () => ({ default: (await pages.labSettings()).LabPicker }));
const NotFound = lazy(() => import('./components/not-found'));

const ViewerQuery = graphql(`
  query Viewer {
    me {
      id
      name
      email
      timeZone
      locale
      isAdmin
      memberships {
        role
        lab {
          id
          name
          timeZone
        }
      }
    }
  }
`);

export function App() {
  const [{ data, error, fetching }, refetch] = useQuery({ query: ViewerQuery });
  const [, navigate] = useLocation();
  // A person always sees their own zone and locale (the API hides them only from others); the fallbacks keep the type honest.
  const viewer: Viewer | null = useMemo(
    () =>
      data
        ? {
            id: data.me.id,
            name: data.me.name,
            email: data.me.email,
            timeZone: data.me.timeZone ?? Intl.DateTimeFormat().resolvedOptions().timeZone,
            locale: data.me.locale ?? navigator.language,
            isAdmin: data.me.isAdmin ?? false,
            managedLabs: (data.me.memberships ?? []).filter((m) => m.role === 'MANAGER').map((m) => m.lab),
          }
        : null,
    [data],
  );

  useEffect(() => {
    if (!viewer) return;
    const back = returnAfterSignIn();
    if (back && back !== window.location.pathname + window.location.search) navigate(back, { replace: true });
  }, [viewer, navigate]);

  if (!viewer) {
    // An unauthenticated answer has already sent the browser to sign-in (client.ts); anything else can be retried.
    return (
      <LanguageProvider initial={navigator.language}>
        <main className="boot">{error && !fetching ? <ErrorBox error={error} retry={() => refetch({ requestPolicy: 'network-only' })} /> : <Loading />}</main>
      </LanguageProvider>
    );
  }
  return (
    <LanguageProvider initial={viewer.locale || navigator.language} key={viewer.id}>
      <ViewerContext.Provider value={viewer}>
        <Layout>
          <Suspense fallback={<Loading />}>
            <Switch>
              <Route path="/" component={HomePage} />
              <Route path="/find" component={FindPage} />
              <Route path="/instruments/:id">{(params) => <InstrumentPage id={params.id} />}</Route>
              <Route path="/bookings" component={MyBookingsPage} />
              <Route path="/profile" component={ProfilePage} />
              <Route path="/approvals" component={ApprovalsPage} />
              <Route path="/labs" component={LabPicker} />
              <Route path="/usage" component={UsagePage} />
              <Route path="/platform" component={PlatformPage} />
              <Route path="/labs/:id/settings">{(params) => <LabSettingsPage id={params.id} />}</Route>
              <Route component={NotFound} />
            </Switch>
          </Suspense>
        </Layout>
      </ViewerContext.Provider>
    </LanguageProvider>
  );
}
