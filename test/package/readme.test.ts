import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const root = new URL('../../', import.meta.url);
const run = promisify(execFile);

describe('README', () => {
  it('shows examples/readme.ts as its usage example, word for word', () => {
    const readme = readFileSync(new URL('README.md', root), 'utf8');
    const example = readFileSync(new URL('examples/readme.ts', root), 'utf8').trimEnd();
    expect(readme).toContain(`\`\`\`ts\n${example}\n\`\`\``);
    expect(example.split('\n').length).toBeLessThanOrEqual(25);
  });

  it('opens with the two commands, and they exist', () => {
    const readme = readFileSync(new URL('README.md', root), 'utf8');
    expect(readme).toContain('npm install && npm run demo');
    expect(readme).toContain('npm test');
    const pkg = JSON.parse(readFileSync(new URL('package.json', root), 'utf8'));
    expect(pkg.scripts.demo).toBeTruthy();
    expect(pkg.scripts.test).toMatch(/typecheck.*lint.*test:unit.*build.*check:package/);
  });

  it('links only to guides that exist', () => {
    const readme = readFileSync(new URL('README.md', root), 'utf8');
    for (const [, target] of readme.matchAll(/\]\((docs\/[^)]+)\)/g)) {
      expect(() => readFileSync(new URL(target ?? '', root))).not.toThrow();
    }
  });

  it('runs its usage example', async () => {
    const { stdout } = await run(
      'npx',
      ['tsx', '--conditions=opscharter-source', 'examples/readme.ts'],
      {
        cwd: root,
      },
    );
    expect(stdout).toContain('[3.1.2 incident.assess.role] 无权执行「评估」');
    expect(stdout).toMatch(/^P1 \d+$/m);
    expect(stdout).toContain("'start: true'");
  }, 60_000);
});
