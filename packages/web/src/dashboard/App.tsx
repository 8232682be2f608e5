import { Center, Loader } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { Navigate, Route, Routes } from 'react-router';
import { Layout } from './Layout.js';
import { LiveProvider } from './live.js';
import { listPages } from './lists/list-defs.js';
import { ListPage } from './lists/ListPage.js';
import { CampusPage } from './pages/CampusPage.js';
import { CapacityPage } from './pages/CapacityPage.js';
import { OverviewPage } from './pages/OverviewPage.js';
import { SetupPage } from './pages/SetupPage.js';
import { SignInPage } from './pages/SignInPage.js';
import { StationPage } from './station/StationPage.js';
import { PersonPage } from './people/PersonPage.js';
import { PinSheetPage } from './people/PinSheetPage.js';
import { DevicePage } from './devices/DevicePage.js';
import { SettingsPage } from './settings/SettingsPage.js';
import { ImportPage } from './import/ImportPage.js';
import { BoardPage } from './repairs/BoardPage.js';
import { TicketPage } from './repairs/TicketPage.js';
import { TasksPage } from './tasks/TasksPage.js';
import { SessionProvider, useAuthStatus, useMe } from './session.js';
import { Guard, NotFound } from './ui/NoAccess.js';
import { ProblemAlert } from './ui/QueryState.js';

/** Setup on a new install, sign-in without a session, otherwise the dashboard. */
export function App() {
  const { t } = useTranslation();
  const status = useAuthStatus();
  const me = useMe();
  if (status.isPending || me.isPending) {
    return (
      <Center mih="100vh">
        <Loader aria-label={t('app.loading')} />
      </Center>
    );
  }
  if (status.isError) return <ProblemAlert error={status.error} retry={() => void status.refetch()} standalone />;
  if (me.isError) return <ProblemAlert error={me.error} retry={() => void me.refetch()} standalone />;
  if (status.data.setupRequired && !me.data) return <SetupPage />;
  if (!me.data) return <SignInPage status={status.data} />;
  return (
    <SessionProvider me={me.data}>
      <LiveProvider>
        <Layout>
          <Routes>
            <Route index element={<OverviewPage />} />
            <Route path="stations/:stationId" element={<StationPage />} />
            <Route path="campuses/:siteId" element={<CampusPage />} />
            <Route
              path="people/pin-sheet"
              element={
                <Guard permission="people:write">
                  <PinSheetPage />
                </Guard>
              }
            />
            <Route
              path="people/:personId"
              element={
                <Guard permission="people:read">
                  <PersonPage />
                </Guard>
              }
            />
            <Route path="devices/:deviceId" element={<DevicePage />} />
            <Route path="repairs/board" element={<BoardPage />} />
            <Route path="repairs/:ticketId" element={<TicketPage />} />
            <Route path="tasks" element={<TasksPage />} />
            <Route path="capacity" element={<CapacityPage />} />
            {listPages.map((def) => (
              <Route
                key={def.path}
                path={def.path}
                element={
                  <Guard permission={def.permission}>
                    {/* Keyed: another list's rows must never stand in (as placeholder data) under this list's columns. */}
                    <ListPage key={def.path} def={def} />
                  </Guard>
                }
              />
            ))}
            <Route
              path="import"
              element={
                <Guard permission="roster:import">
                  <ImportPage />
                </Guard>
              }
            />
            <Route path="settings" element={<SettingsPage />} />
            <Route path="settings/:section" element={<SettingsPage />} />
            <Route path="sign-in" element={<Navigate to="/" replace />} />
            <Route path="*" element={<NotFound />} />
          </Routes>
        </Layout>
      </LiveProvider>
    </SessionProvider>
  );
}
