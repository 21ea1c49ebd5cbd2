import { scheduledStates } from './change/calendar.js';
import type { ChangeRepository } from './change/repository.js';
import type { ChangeWindow, MaintenanceWindowSource } from './monitoring/silence.js';

/**
 * The implementation windows of approved changes, as monitoring reads them to silence the
 * alerts a change is expected to cause on the CIs in its scope (3.3.4, 4.3.2). `createOps`
 * wires it by default. A window is reported while it is open; when it closes, monitoring
 * notifies at once of alerts still firing.
 *
 * @example
 * const source = changeWindowSource(store.changes);
 * await source.windows(new Date()); // [{ changeId: 'CHG-000001', ci: 'core-db', start, end }]
 */
export function changeWindowSource(changes: ChangeRepository): MaintenanceWindowSource {
  return {
    async windows(at: Date) {
      const now = at.getTime();
      const out: ChangeWindow[] = [];
      let cursor: string | undefined;
      do {
        const page = await changes.list({
          where: { state: [...scheduledStates] },
          limit: 500,
          cursor,
        });
        if (!page.ok) return out;
        for (const change of page.value.items) {
          const start = Date.parse(change.plan.windowStart);
          const end = Date.parse(change.plan.windowEnd);
          if (now < start || now >= end) continue;
          for (const ci of change.scope.cis) out.push({ ci, start, end, changeId: change.id });
        }
        cursor = page.value.nextCursor;
      } while (cursor !== undefined);
      return out;
    },
  };
}
