import { Alert, Button, Divider, PasswordInput, Stack, TextInput } from '@mantine/core';
import { useMutation } from '@tanstack/react-query';
import type { TFunction } from 'i18next';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { api, apiBase } from '../api.js';
import { useSignedIn } from '../session.js';
import type { AuthStatus, StaffSignedIn } from '@cubby/protocol/api';
import { useProblemMessage } from '../ui/QueryState.js';
import { AuthFrame } from './AuthFrame.js';

/** The district may name its provider ("Clever", "Google"), or give the whole phrase; the default is translated. */
function ssoLabel(label: string | null | undefined, t: TFunction): string {
  if (!label || label === 'Single sign-on') return t('signIn.sso');
  return /^sign in/i.test(label) ? label : t('signIn.ssoNamed', { label });
}

export function SignInPage({ status }: { status: AuthStatus }) {
  const { t } = useTranslation();
  const signedIn = useSignedIn();
  const message = useProblemMessage();
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [signedOut] = useState(() => sessionStorage.getItem('cubby.signedOut') === '1');
  const login = useMutation({
    mutationFn: () => api<StaffSignedIn>('/auth/login', { method: 'POST', body: { email, password } }),
    onSuccess: signedIn,
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    login.mutate();
  };
  return (
    <AuthFrame title={t('signIn.title')} subtitle={t('signIn.subtitle')}>
      {signedOut && !login.isError && (
        <Alert color="blue" variant="light" role="status">
          {t('signIn.signedOut')}
        </Alert>
      )}
      {login.isError && (
        <Alert color="red" variant="light" role="alert" data-error={(login.error as { code?: string }).code}>
          {message(login.error)}
        </Alert>
      )}
      <form onSubmit={submit} noValidate>
        <Stack gap="sm">
          <TextInput
            label={t('signIn.email')}
            type="email"
            autoComplete="username"
            required
            value={email}
            onChange={(e) => setEmail(e.currentTarget.value)}
          />
          <PasswordInput
            label={t('signIn.password')}
            autoComplete="current-password"
            required
            value={password}
            onChange={(e) => setPassword(e.currentTarget.value)}
          />
          <Button type="submit" loading={login.isPending} size="md">
            {t('signIn.submit')}
          </Button>
        </Stack>
      </form>
      {status.oidc.enabled && (
        <>
          <Divider label={t('signIn.or')} labelPosition="center" />
          <Button component="a" href={`${apiBase}/auth/oidc/start`} variant="default" size="md">
            {ssoLabel(status.oidc.label, t)}
          </Button>
        </>
      )}
    </AuthFrame>
  );
}
