import { Button, Group, Stack, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { Icon } from '../../ui/icons.js';
import { ScreenTitle } from '../../ui/ScreenTitle.js';
import type { ProblemView } from '../kiosk-state.js';

/** A refused request or a transaction that did not work out, said kindly, with a way on. */
export function ProblemScreen({
  problem,
  onMenu,
  onSignOut,
}: {
  problem: ProblemView;
  onMenu: () => void;
  onSignOut: () => void;
}) {
  const { t } = useTranslation();
  return (
    <Stack align="center" gap="lg" className="screen problem" data-code={problem.code}>
      <div className="problem-art" aria-hidden="true">
        <Icon name="warning" size={110} />
      </div>
      <ScreenTitle size="h2">{t(`errors.${problem.code}.title`, { n: problem.compartment ?? '' })}</ScreenTitle>
      {problem.nearby.length > 0 ? (
        <div className="nearby">
          <Text className="lead">{t('problem.nearbyTitle')}</Text>
          <ul>
            {problem.nearby.map((n) => (
              <li key={n.stationName}>{t('problem.nearby', { stationName: n.stationName, count: n.available })}</li>
            ))}
          </ul>
        </div>
      ) : (
        <Text className="lead">{t(`errors.${problem.code}.hint`)}</Text>
      )}
      <Group justify="center" gap="md">
        <Button size="xl" onClick={onMenu}>
          {t('problem.somethingElse')}
        </Button>
        <Button size="xl" variant="default" onClick={onSignOut} leftSection={<Icon name="signOut" />}>
          {t('app.signOut')}
        </Button>
      </Group>
    </Stack>
  );
}
