import { Alert, Button, PasswordInput, Stack, TextInput } from '@mantine/core';
import { useMutation } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../api.js';
import { useSignedIn } from '../session.js';
import type { StaffSignedIn } from '@cubby/protocol/api';
import { useProblemMessage } from '../ui/QueryState.js';
import { AuthFrame } from './AuthFrame.js';

/** First run: nobody can sign in yet, so the first district admin is made here. */
export function SetupPage() {
  const { t } = useTranslation();
  const signedIn = useSignedIn();
  const message = useProblemMessage();
  const [form, setForm] = useState({ name: '', email: '', password: '', confirm: '' });
  const [mismatch, setMismatch] = useState(false);
  const setup = useMutation({
    mutationFn: () =>
      api<StaffSignedIn>('/auth/setup', {
        method: 'POST',
        body: { name: form.name, email: form.email, password: form.password },
      }),
    onSuccess: signedIn,
  });
  const field = (key: keyof typeof form) => ({
    value: form[key],
    onChange: (e: { currentTarget: { value: string } }) => setForm({ ...form, [key]: e.currentTarget.value }),
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    const differ = form.password !== form.confirm;
    setMismatch(differ);
    if (!differ) setup.mutate();
  };
  return (
    <AuthFrame title={t('setup.title')} subtitle={t('setup.subtitle')}>
      {setup.isError && (
        <Alert color="red" variant="light" role="alert">
          {message(setup.error)}
        </Alert>
      )}
      <form onSubmit={submit} noValidate>
        <Stack gap="sm">
          <TextInput label={t('setup.name')} autoComplete="name" required {...field('name')} />
          <TextInput label={t('setup.email')} type="email" autoComplete="username" required {...field('email')} />
          <PasswordInput
            label={t('setup.password')}
            description={t('setup.passwordHint')}
            autoComplete="new-password"
            required
            {...field('password')}
          />
          <PasswordInput
            label={t('setup.confirm')}
            autoComplete="new-password"
            required
            error={mismatch ? t('setup.mismatch') : undefined}
            {...field('confirm')}
          />
          <Button type="submit" loading={setup.isPending} size="md">
            {t('setup.submit')}
          </Button>
        </Stack>
      </form>
    </AuthFrame>
  );
}
