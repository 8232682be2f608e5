import { NumberInput, Stack, Switch } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { LoanPolicy } from '@cubby/protocol/api';
import { api } from '../api.js';
import { ChangeError } from '../ui/Dialog.js';
import { QueryState } from '../ui/QueryState.js';
import { SaveRow, useChange } from './settings-ui.js';

type Policy = Record<string, number | boolean | string>;

/**
 * The district's loan policy. The form follows the fields the server
 * answers (numbers, switches), so a new policy field shows up without a
 * dashboard change; its label comes from the translations when there is one.
 */
export function PolicySettings() {
  const policy = useQuery({
    queryKey: ['settings', 'policy'],
    queryFn: async () => {
      // The form walks the fields as they come (numbers, switches), so it is typed as a plain record.
      const policy: Policy = { ...(await api<LoanPolicy>('/policy')) };
      return policy;
    },
  });
  return <QueryState query={policy}>{(data) => <PolicyForm initial={data} />}</QueryState>;
}

function PolicyForm({ initial }: { initial: Policy }) {
  const { t } = useTranslation();
  const [draft, setDraft] = useState<Policy>(initial);
  const [saved, setSaved] = useState(false);
  const save = useChange(
    (body: Policy) => api('/policy', { method: 'PUT', body }),
    [['settings', 'policy']],
    () => setSaved(true),
  );
  const label = (key: string) => t(`settings.policy.fields.${key}`, { defaultValue: key });
  return (
    <form
      onSubmit={(event) => {
        event.preventDefault();
        setSaved(false);
        save.mutate(draft);
      }}
    >
      <Stack gap="md" maw={520}>
        <ChangeError error={save.error} />
        {Object.entries(draft).map(([key, value]) =>
          typeof value === 'boolean' ? (
            <Switch
              key={key}
              label={label(key)}
              checked={value}
              onChange={(e) => setDraft({ ...draft, [key]: e.currentTarget.checked })}
              size="md"
            />
          ) : typeof value === 'number' ? (
            <NumberInput
              key={key}
              label={label(key)}
              value={value}
              min={0}
              onChange={(v) => setDraft({ ...draft, [key]: Number(v) })}
            />
          ) : null,
        )}
        <SaveRow pending={save.isPending} saved={saved} />
      </Stack>
    </form>
  );
}
