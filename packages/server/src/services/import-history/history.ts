import { findUserById, listImportRuns, type Executor } from '@cubby/db';
import type { ImportHistory } from '@cubby/protocol/api';

/** The Import page's history: each run with the name of the user who ran it (null for the CLI or the demo seed). */
export async function importHistory(db: Executor): Promise<ImportHistory> {
  const runs = await listImportRuns(db);
  const userIds = [...new Set(runs.filter((r) => r.actorType === 'user' && r.actorId).map((r) => r.actorId!))];
  const names = new Map<string, string>();
  for (const id of userIds) {
    const user = await findUserById(db, id);
    if (user) names.set(id, user.name);
  }
  return {
    items: runs.map(({ districtId: _d, actorType, actorId, ...run }) => ({
      ...run,
      by: actorType === 'user' && actorId ? (names.get(actorId) ?? null) : null,
    })),
  };
}
