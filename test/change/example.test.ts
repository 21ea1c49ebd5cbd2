import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';

const root = fileURLToPath(new URL('../..', import.meta.url));

it('examples/change-approval.ts runs: medium approved, high blocked bilingually, emergency approved retrospectively', () => {
  const out = execFileSync(
    process.execPath,
    ['--import', 'tsx', '--conditions=opscharter-source', 'examples/change-approval.ts'],
    { cwd: root, encoding: 'utf8', env: { ...process.env, TZ: 'Asia/Kathmandu' } },
  );
  expect(out).toContain('CHG-000001: approved by 王强, 孙丽');
  expect(out).toContain('[3.3.3 change.approve.self] 申请人不得审批自己的变更');
  expect(out).toContain(
    '[3.3.3 change.approve.self] The requester may not approve their own change',
  );
  expect(out).toContain('[3.3.2 change.evaluate.risk_measures] 高风险变更须制定详细的风险应对措施');
  expect(out).toContain('CHG-000002: awaiting_approval, still open: it_head');
  expect(out).toContain('retrospective approval complete: true');
  expect(out).toContain('CHG-000003: closed; findings: 0');
}, 60_000);
