import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const run = promisify(execFile);

describe('examples/quickstart.ts (npm run demo)', () => {
  it('takes one incident through 3.1 and prints the timeline, SLA, buttons and a refusal', async () => {
    const { stdout } = await run(
      'npx',
      ['tsx', '--conditions=opscharter-source', 'examples/quickstart.ts'],
      { cwd: new URL('../..', import.meta.url), env: { ...process.env, TZ: 'Asia/Kathmandu' } },
    );
    expect(stdout).toContain('王强 assesses: impact high × urgency high → assessed');
    expect(stdout).toContain('SLA P1:');
    expect(stdout).toContain('verifies: FAILS, uploads still time out (reopens) → in_progress');
    expect(stdout).toContain('verifies: passes, claims department told → verified');
    expect(stdout).toContain('closes the incident → closed');
    expect(stdout).toContain(
      'buttons for 王强: [summarise] (close: incident.close.summary_required)',
    );
    expect(stdout).toContain('zh: 在「已报告」状态下不能执行「开始处理」');
    expect(stdout).toContain('en: Cannot start handling in state Reported');
    expect(stdout).toContain('zh: 违反制度:关闭前须完成事件总结');
    expect(stdout).toContain(
      'en: Policy violation: The incident must be summarised before it closes',
    );
    expect(stdout).toContain('10. 2026-03-30 11:01  王强  verify  recovered → in_progress');
    expect(stdout).toContain('15. 2026-03-30 12:51  王强  close  summarised → closed');
    expect(stdout).toContain('resolution stopped 1h26m of 4h00m (36%, met)');
  }, 60_000);

  it('tells the same story on embedded PostgreSQL with --store pglite', async () => {
    const args = ['tsx', '--conditions=opscharter-source', 'examples/quickstart.ts'];
    const options = {
      cwd: new URL('../..', import.meta.url),
      env: { ...process.env, TZ: 'Asia/Kathmandu' },
    };
    const [memory, pglite] = await Promise.all([
      run('npx', args, options),
      run('npx', [...args, '--store', 'pglite'], options),
    ]);
    expect(pglite.stdout).toContain('(store: pglite)');
    expect(pglite.stdout.replace('(store: pglite)', '')).toBe(
      memory.stdout.replace('(store: memory)', ''),
    );
  }, 120_000);
});
