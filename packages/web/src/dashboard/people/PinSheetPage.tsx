import { Alert, Button, Checkbox, Group, NativeSelect, Paper, Stack, Text, Title } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { PinSheet, PinSheetRequest } from '@cubby/protocol/api';
import { api } from '../api.js';
import { useSites } from '../lists/reference.js';
import { ConfirmDialog, useDialogChange } from '../settings/settings-ui.js';
import { formatDate } from '../ui/format.js';
import { usePageTitle } from '../ui/page-title.js';
import { grades } from './PersonForm.js';

/**
 * New PINs for a grade at a campus, printed as slips to cut (POST /pin-sheets).
 * The PINs live in this page's memory only: leaving or reloading it loses
 * them, and the server keeps hashes alone.
 */
export function PinSheetPage() {
  const { t } = useTranslation();
  usePageTitle(t('pinSheet.title'));
  const [sheet, setSheet] = useState<PinSheet | null>(null);
  if (sheet) return <Sheet sheet={sheet} onDone={() => setSheet(null)} />;
  return <SheetForm onIssued={setSheet} />;
}

function SheetForm({ onIssued }: { onIssued(sheet: PinSheet): void }) {
  const { t } = useTranslation();
  const sites = useSites();
  const [form, setForm] = useState<PinSheetRequest>({ siteId: '', grade: '9', onlyWithoutPin: false });
  const siteId = form.siteId || sites.data?.items[0]?.id || '';
  const issue = useDialogChange(
    (request: PinSheetRequest) => api<PinSheet>('/pin-sheets', { method: 'POST', body: request }),
    [],
    onIssued,
  );
  return (
    <Stack gap="md" maw={640} data-page="pin-sheet">
      <Title order={1}>{t('pinSheet.title')}</Title>
      <Text>{t('pinSheet.intro')}</Text>
      <Paper withBorder p="md">
        <form
          onSubmit={(e) => {
            e.preventDefault();
            issue.open({ ...form, siteId });
          }}
        >
          <Stack gap="sm">
            <NativeSelect
              label={t('pinSheet.campus')}
              value={siteId}
              onChange={(e) => setForm({ ...form, siteId: e.currentTarget.value })}
              data={(sites.data?.items ?? []).map((s) => ({ value: s.id, label: s.name }))}
            />
            <NativeSelect
              label={t('pinSheet.grade')}
              value={form.grade}
              onChange={(e) => setForm({ ...form, grade: e.currentTarget.value })}
              data={grades.map((g) => ({ value: g, label: g }))}
            />
            <Checkbox
              label={t('pinSheet.onlyWithoutPin')}
              checked={form.onlyWithoutPin ?? false}
              onChange={(e) => setForm({ ...form, onlyWithoutPin: e.currentTarget.checked })}
            />
            <Group>
              <Button type="submit" disabled={!siteId}>
                {t('pinSheet.issue')}
              </Button>
            </Group>
          </Stack>
        </form>
      </Paper>
      {issue.value !== null && (
        <ConfirmDialog
          title={t('pinSheet.confirmTitle', { grade: issue.value.grade })}
          body={t('pinSheet.confirmBody')}
          confirmLabel={t('pinSheet.issue')}
          change={issue}
        />
      )}
    </Stack>
  );
}

/** One slip per student, cut lines between them; only the slips print. */
function Sheet({ sheet, onDone }: { sheet: PinSheet; onDone(): void }) {
  const { t, i18n } = useTranslation();
  const heading = t('pinSheet.heading', {
    campus: sheet.siteName,
    grade: sheet.grade,
    date: formatDate(i18n.language, sheet.issuedAt, sheet.timeZone),
  });
  return (
    <Stack gap="md" data-page="pin-sheet-slips">
      <div className="no-print">
        <Stack gap="sm">
          <Title order={1}>{t('pinSheet.title')}</Title>
          <Alert color="yellow" variant="light" role="status">
            {t('pinSheet.onceWarning')}
          </Alert>
          <Group>
            <Button onClick={() => window.print()} disabled={sheet.slips.length === 0}>
              {t('pinSheet.print')}
            </Button>
            <Button variant="default" onClick={onDone}>
              {t('pinSheet.done')}
            </Button>
          </Group>
        </Stack>
      </div>
      {sheet.slips.length === 0 ? (
        <Text>{t('pinSheet.none')}</Text>
      ) : (
        <section className="pin-sheet" aria-label={heading}>
          <p className="pin-sheet-heading">
            {heading} · {t('pinSheet.count', { count: sheet.slips.length })} · {t('pinSheet.cut')}
          </p>
          {sheet.slips.map((slip) => (
            <article key={slip.personId} className="pin-slip" data-slip={slip.studentNumber}>
              <p className="pin-slip-title">{t('pinSheet.slipTitle')}</p>
              <p className="pin-slip-name">
                {slip.givenName} {slip.familyName}
              </p>
              <dl>
                <div>
                  <dt>{t('pinSheet.slipNumber')}</dt>
                  <dd>{slip.studentNumber}</dd>
                </div>
                <div>
                  <dt>{t('pinSheet.slipPin')}</dt>
                  <dd className="pin-slip-pin">{slip.pin}</dd>
                </div>
              </dl>
              <p className="pin-slip-hint">{t('pinSheet.slipHint')}</p>
            </article>
          ))}
        </section>
      )}
    </Stack>
  );
}
