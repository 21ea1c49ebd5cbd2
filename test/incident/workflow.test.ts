import {
  allRules,
  charterCoverage,
  incidentRules,
  incidentStates,
  incidentWorkflow,
  toMermaid,
} from 'opscharter';
import { describe, expect, it } from 'vitest';

describe('incident workflow as data', () => {
  it('declares every state, and every command leads to a known state', () => {
    expect(Object.keys(incidentWorkflow.states).sort()).toEqual([...incidentStates].sort());
    expect(incidentWorkflow.states.closed.terminal).toBe(true);
    expect(incidentWorkflow.states.cancelled.terminal).toBe(true);
    expect(incidentWorkflow.states.assessed.required).toEqual(
      expect.arrayContaining(['priority', 'strategy', 'actionPlan']),
    );
    expect(incidentWorkflow.states.verified.readonly).toEqual(
      expect.arrayContaining(['recovery', 'steps', 'priority']),
    );
  });

  it('draws the lifecycle in Mermaid, with the reopen arrow', () => {
    const m = toMermaid(incidentWorkflow);
    expect(m).toContain('[*] --> reported');
    expect(m).toContain('reported --> assessed: assess');
    expect(m).toContain('in_progress --> on_hold: hold');
    expect(m).toContain('on_hold --> in_progress: resume');
    expect(m).toContain('recovered --> verified: verify');
    expect(m).toContain('recovered --> in_progress: verify');
    expect(m).toContain('summarised --> closed: close');
    expect(m).toContain('closed --> [*]');
  });

  it('names a clause of 3.1 for every rule, and covers 3.1.1 to 3.1.5', () => {
    const ids = incidentRules.map((r) => r.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const r of incidentRules) expect(r.clauses[0]).toMatch(/^3\.1\.[1-5]$/);
    expect(ids).toEqual(
      expect.arrayContaining([
        'incident.assess.role',
        'incident.workflow.required_field',
        'incident.workflow.readonly_field',
        'incident.close.summary_required',
        'incident.recover.steps_logged',
      ]),
    );
    for (const r of incidentRules) expect(allRules).toContain(r);
    const coverage = charterCoverage();
    for (const clause of ['3.1.1', '3.1.2', '3.1.3', '3.1.4', '3.1.5']) {
      expect(coverage.unenforced).not.toContain(clause);
    }
  });
});

describe('the drawing', () => {
  it('has one arrow per real transition: no arrow between states a command never links', () => {
    const arrows = toMermaid(incidentWorkflow)
      .split('\n')
      .slice(1)
      .map((l) => l.trim());
    expect(arrows).toContain('in_progress --> in_progress: reassess');
    expect(arrows.filter((a) => a.endsWith(': reassess'))).toHaveLength(1);
    expect(arrows.filter((a) => a.endsWith(': escalate'))).toHaveLength(1);
    expect(new Set(arrows).size).toBe(arrows.length);
  });
});

describe('docs/incident.md', () => {
  it('lists every rule id and carries the current drawing', async () => {
    const { readFile } = await import('node:fs/promises');
    const doc = await readFile(new URL('../../docs/incident.md', import.meta.url), 'utf8');
    for (const r of incidentRules) expect(doc).toContain(`\`${r.id}\``);
    expect(doc).toContain(toMermaid(incidentWorkflow));
  });
});
