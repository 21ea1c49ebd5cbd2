import { describe, expect, it } from 'vitest';
import { accessAuditExample } from '../../examples/access-audit.js';

describe('examples/access-audit.ts', () => {
  it('prints a Markdown report with every planted problem found', () => {
    const md = accessAuditExample();
    for (const rule of [
      'security.leaver.active_access',
      'security.leaver.used_after_leave',
      'security.dormant.no_login',
      'security.dormant.never_used',
      'security.dormant.temporary_expired',
      'security.orphan.no_owner',
      'security.orphan.unknown_owner',
      'security.account.default_enabled',
      'security.account.service_interactive',
      'security.privileged.no_mfa',
      'security.privileged.daily_use',
      'security.privileged.standing',
      'security.privileged.unused',
      'security.least_privilege.unused_grant',
      'security.least_privilege.wildcard',
      'security.least_privilege.direct_permission',
      'security.credential.rotation',
      'security.credential.multiple_active',
      'security.sod.conflict',
      'security.sod.three_admin',
      'security.password.max_age',
      'security.password.initial',
      'security.review.overdue',
      'security.patch.overdue',
      'security.vulnerability.scan_overdue',
      'security.vulnerability.remediation_overdue',
      'security.backup.rpo',
      'security.backup.consecutive_failures',
      'security.backup.restore_test',
      'security.encryption.in_transit',
      'security.policy.review_overdue',
      'security.training.overdue',
    ]) {
      expect(md, rule).toMatch(
        new RegExp(`\\| ${rule.replaceAll('.', '\\.')} \\| [^|]+ \\| [^|]*[^ |]`),
      );
    }
    expect(md).toContain('| security.account.shared_enabled | counter@claims | WVR-2026-007 |');
    expect(md).toContain('同时担任系统、审计管理员');
  });
});
