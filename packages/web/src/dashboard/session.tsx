import { useQuery, useQueryClient } from '@tanstack/react-query';
import { createContext, useContext, type ReactNode } from 'react';
import { api, ApiError, rememberCsrfToken } from './api.js';
import type { Permission } from '@cubby/core';
import type { AuthStatus, Me, StaffSignedIn } from '@cubby/protocol/api';

/**
 * Who is signed in. `/auth/me` answers the user with their permissions and
 * the CSRF token; a 401 means nobody is, and the app shows the sign-in page.
 */
export const meKey = ['auth', 'me'] as const;
export const statusKey = ['auth', 'status'] as const;

export function useAuthStatus() {
  return useQuery({ queryKey: statusKey, queryFn: () => api<AuthStatus>('/auth/status'), staleTime: 60_000 });
}

export function useMe() {
  return useQuery({
    queryKey: meKey,
    queryFn: async (): Promise<Me | null> => {
      try {
        const answer = await api<StaffSignedIn>('/auth/me');
        rememberCsrfToken(answer.csrfToken);
        return answer.user;
      } catch (error) {
        if (error instanceof ApiError && error.status === 401) return null;
        throw error;
      }
    },
    staleTime: 5 * 60_000,
  });
}

interface Session {
  me: Me;
  can(permission: Permission): boolean;
  signOut(): Promise<void>;
}

const SessionContext = createContext<Session | null>(null);

export function SessionProvider({ me, children }: { me: Me; children: ReactNode }) {
  const session: Session = {
    me,
    can: (permission) => me.permissions.includes(permission),
    async signOut() {
      await api('/auth/logout', { method: 'POST' }).catch(() => undefined);
      rememberCsrfToken(null);
      sessionStorage.setItem('cubby.signedOut', '1');
      // A fresh page: nothing of the signed-in session stays in memory.
      window.location.assign('/dashboard/');
    },
  };
  return <SessionContext.Provider value={session}>{children}</SessionContext.Provider>;
}

export function useSession(): Session {
  const session = useContext(SessionContext);
  if (!session) throw new Error('useSession is for pages inside a signed-in session');
  return session;
}

/** Signs in (or sets up) and makes the app re-read who is signed in. */
export function useSignedIn() {
  const queries = useQueryClient();
  return async (answer: { user?: Partial<Me>; csrfToken?: string }) => {
    if (answer.csrfToken) rememberCsrfToken(answer.csrfToken);
    sessionStorage.removeItem('cubby.signedOut');
    void queries.invalidateQueries({ queryKey: statusKey });
    // The sign-in answer may not list permissions; /auth/me always does.
    if (Array.isArray(answer.user?.permissions)) queries.setQueryData(meKey, answer.user as Me);
    else await queries.refetchQueries({ queryKey: meKey });
  };
}
