import {
  defineChangePolicy,
  defineIncidentPolicy,
  defineMonitoringPolicy,
  definePolicy,
} from 'opscharter';
import { describe, expect, it } from 'vitest';

describe('policies are validated once and frozen', () => {
  it('freezes the whole policy and each section defined on its own', () => {
    for (const policy of [
      definePolicy(),
      defineIncidentPolicy(),
      defineChangePolicy(),
      defineMonitoringPolicy(),
    ]) {
      expect(Object.isFrozen(policy)).toBe(true);
      for (const inner of Object.values(policy)) {
        if (typeof inner === 'object' && inner !== null) expect(Object.isFrozen(inner)).toBe(true);
      }
    }
  });

  it('throws at start-up naming every bad field, the same way for every section', () => {
    expect(() => defineChangePolicy({ calendar: { timeZone: 'Mars/Olympus' } })).toThrow(
      /^defineChangePolicy: invalid policy\n {2}calendar\.timeZone: Unknown IANA time zone/,
    );
    expect(() => defineIncidentPolicy({ assessRoles: ['king' as 'ops_manager'] })).toThrow(
      /^defineIncidentPolicy: invalid policy\n {2}assessRoles\.0: /,
    );
  });
});
