import '@mantine/core/styles.css';
import './dashboard.css';
import { MantineProvider } from '@mantine/core';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { I18nextProvider } from 'react-i18next';
import { BrowserRouter } from 'react-router';
import { dashboardI18n } from '../i18n/dashboard.js';
import { ApiError } from './api.js';
import { App } from './App.js';
import { dashboardTheme } from './theme.js';

const queries = new QueryClient({
  defaultOptions: {
    queries: {
      // A refusal or a missing thing will not change by asking again; a dropped connection may.
      retry: (failures, error) => failures < 2 && !(error instanceof ApiError && error.status >= 400 && error.status < 500),
      staleTime: 10_000,
      refetchOnWindowFocus: true,
    },
  },
});

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <MantineProvider theme={dashboardTheme} forceColorScheme="light">
      <I18nextProvider i18n={dashboardI18n}>
        <QueryClientProvider client={queries}>
          <BrowserRouter basename="/dashboard">
            <App />
          </BrowserRouter>
        </QueryClientProvider>
      </I18nextProvider>
    </MantineProvider>
  </StrictMode>,
);
