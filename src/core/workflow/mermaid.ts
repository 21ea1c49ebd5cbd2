import type { AnyCommands, Workflow } from './definition.js';
import type { WorkflowEntity } from './history.js';

/**
 * Draws a workflow as a Mermaid state diagram, one arrow per command and target state.
 *
 * @example
 * toMermaid(incidentWorkflow);
 * // stateDiagram-v2
 * //   [*] --> reported
 * //   reported --> assessed: assess
 * //   ...
 */
export function toMermaid<E extends WorkflowEntity, P, C extends AnyCommands<E, P>>(
  workflow: Workflow<E, P, C>,
): string {
  const lines = ['stateDiagram-v2', `  [*] --> ${workflow.initial}`];
  for (const compiled of workflow.compiled.values()) {
    for (const [from, targets] of compiled.targets) {
      for (const to of targets) lines.push(`  ${from} --> ${to}: ${compiled.name}`);
    }
  }
  for (const [state, definition] of Object.entries(workflow.states) as [
    string,
    { terminal?: boolean },
  ][]) {
    if (definition.terminal) lines.push(`  ${state} --> [*]`);
  }
  return lines.join('\n');
}
