import { lazy, StrictMode, Suspense } from 'react';
import { createRoot } from 'react-dom/client';
import { useTranslation } from 'react-i18next';
import { BrowserRouter, Navigate, Route, Routes, useLocation } from 'react-router';
import { AuthProvider, HOME, Role, useAuth, VIEW_ROLES } from './auth/auth-context';
import { Layout } from './components/layout';
import { setupI18n } from './i18n';
import { SignInPage } from './pages/sign-in';
import { PatientRecordRoute, preloadRecordPage } from './records/record-page-loader';
import { prefetchRecordFromAddress } from './records/record-prefetch';
import { PATIENT_ROLES } from './records/roles';
import { Loading } from './pages/status';
import './styles.css';

setupI18n();

// Each view is its own chunk: the sign-in page loads no chart code, and a role loads only its views.
const EvaluatorPage = lazy(() => import('./pages/evaluator').then((m) => ({ default: m.EvaluatorPage })));
const PracticePage = lazy(() => import('./pages/practice').then((m) => ({ default: m.PracticePage })));
const InsurerPage = lazy(() => import('./pages/insurer').then((m) => ({ default: m.InsurerPage })));
const InsurerPracticePage = lazy(() => import('./pages/insurer-practice').then((m) => ({ default: m.InsurerPracticePage })));
const InsurerPatientPage = lazy(() => import('./pages/insurer-patient').then((m) => ({ default: m.InsurerPatientPage })));
// docs/definitions.md, rendered at build time (vite.config.mts): its own chunk, loaded only by who opens it.
const DefinitionsPage = lazy(() => import('./pages/definitions').then((m) => ({ default: m.DefinitionsPage })));
const SnapshotsPage = lazy(() => import('./pages/snapshots').then((m) => ({ default: m.SnapshotsPage })));
const SnapshotChangesPage = lazy(() => import('./pages/snapshot-changes').then((m) => ({ default: m.SnapshotChangesPage })));
const PatientsPage = lazy(() => import('./pages/patients').then((m) => ({ default: m.PatientsPage })));
const ImportPage = lazy(() => import('./pages/import').then((m) => ({ default: m.ImportPage })));
// Issue 16: the administration (ADMIN) and the own account page (everyone).
const AdminUsersPage = lazy(() => import('./pages/admin-users').then((m) => ({ default: m.AdminUsersPage })));
const AdminTokensPage = lazy(() => import('./pages/admin-tokens').then((m) => ({ default: m.AdminTokensPage })));
const AdminPracticesPage = lazy(() => import('./pages/admin-practices').then((m) => ({ default: m.AdminPracticesPage })));
const AdminInsurersPage = lazy(() => import('./pages/admin-insurers').then((m) => ({ default: m.AdminInsurersPage })));
const AdminAuditPage = lazy(() => import('./pages/admin-audit').then((m) => ({ default: m.AdminAuditPage })));
const AccountPage = lazy(() => import('./pages/account').then((m) => ({ default: m.AccountPage })));
// A record opened by its address: its code and data are fetched while the sign-in is checked (records/record-prefetch.ts).
if (prefetchRecordFromAddress(window.location.pathname)) preloadRecordPage();
const ExperimentOverview = lazy(() =>
  import('./pages/experiment-overview').then((m) => ({ default: m.ExperimentOverview })),
);

/** A view only its roles may open; others are sent to their own start page. */
function Guard({ roles, children }: { roles: Role[]; children: React.ReactNode }) {
  const { user } = useAuth();
  if (!user) return null;
  if (!roles.includes(user.role)) return <Navigate to={HOME[user.role]} replace />;
  return <>{children}</>;
}

function NotFound() {
  const { t } = useTranslation();
  return <p>{t('app.notFound')}</p>;
}

function App() {
  const { user } = useAuth();
  const { pathname } = useLocation();
  // The definitions hold no data: readable signed in or not, so a link to them works for everyone.
  if (pathname === '/definities')
    return (
      <Layout>
        <Suspense fallback={<Loading />}>
          <DefinitionsPage />
        </Suspense>
      </Layout>
    );
  if (user === undefined)
    return (
      <Layout>
        <Loading />
      </Layout>
    );
  if (user === null)
    return (
      <Layout>
        <SignInPage />
      </Layout>
    );
  return (
    <Layout>
      <Suspense fallback={<Loading />}>
        <Routes>
          <Route path="/" element={<Navigate to={HOME[user.role]} replace />} />
          <Route
            path="/evaluatie"
            element={
              <Guard roles={VIEW_ROLES.evaluator}>
                <EvaluatorPage />
              </Guard>
            }
          />
          <Route
            path="/momentopnamen"
            element={
              <Guard roles={VIEW_ROLES.evaluator}>
                <SnapshotsPage />
              </Guard>
            }
          />
          <Route
            path="/momentopnamen/:id/vergelijking"
            element={
              <Guard roles={VIEW_ROLES.evaluator}>
                <SnapshotChangesPage />
              </Guard>
            }
          />
          <Route
            path="/praktijk"
            element={
              <Guard roles={VIEW_ROLES.practice}>
                <PracticePage />
              </Guard>
            }
          />
          <Route
            path="/patienten"
            element={
              <Guard roles={PATIENT_ROLES}>
                <PatientsPage />
              </Guard>
            }
          />
          <Route
            path="/patienten/:id"
            element={
              <Guard roles={PATIENT_ROLES}>
                <PatientRecordRoute />
              </Guard>
            }
          />
          <Route
            path="/importeren"
            element={
              <Guard roles={PATIENT_ROLES}>
                <ImportPage />
              </Guard>
            }
          />
          <Route
            path="/verzekeraar"
            element={
              <Guard roles={VIEW_ROLES.insurer}>
                <InsurerPage />
              </Guard>
            }
          />
          <Route
            path="/verzekeraar/praktijk/:agb"
            element={
              <Guard roles={VIEW_ROLES.insurer}>
                <InsurerPracticePage />
              </Guard>
            }
          />
          <Route
            path="/verzekeraar/patient/:id"
            element={
              <Guard roles={VIEW_ROLES.insurer}>
                <InsurerPatientPage />
              </Guard>
            }
          />
          <Route
            path="/experiment"
            element={
              <Guard roles={VIEW_ROLES.overview}>
                <ExperimentOverview />
              </Guard>
            }
          />
          <Route path="/beheer" element={<Navigate to="/beheer/gebruikers" replace />} />
          {(
            [
              ['gebruikers', <AdminUsersPage key="users" />],
              ['tokens', <AdminTokensPage key="tokens" />],
              ['praktijken', <AdminPracticesPage key="practices" />],
              ['verzekeraars', <AdminInsurersPage key="insurers" />],
              ['auditlog', <AdminAuditPage key="audit" />],
            ] as const
          ).map(([path, page]) => (
            <Route key={path} path={`/beheer/${path}`} element={<Guard roles={VIEW_ROLES.admin}>{page}</Guard>} />
          ))}
          <Route path="/account" element={<AccountPage />} />
          <Route path="*" element={<NotFound />} />
        </Routes>
      </Suspense>
    </Layout>
  );
}

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <BrowserRouter>
      <AuthProvider>
        <App />
      </AuthProvider>
    </BrowserRouter>
  </StrictMode>,
);
