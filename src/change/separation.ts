import { text } from '../core/text.js';
import { type Violation, violation } from '../core/violation.js';
import {
  type ChangePolicyLike,
  dutiesMayCoincide,
  dutyName,
  isValidApproval,
} from './authority.js';
import type { ChangeDuty, ChangeRequest } from './model.js';
import { changeRule } from './rules.js';

/**
 * The duties a person holds on a change: requester, pre-reviewer, approver (any valid approval,
 * also as a delegate or delegator), implementer, verifier.
 *
 * @example
 * dutiesOf(change, 'u-ops-2'); // ['implementer']
 */
export function dutiesOf(change: ChangeRequest, personId: string): ChangeDuty[] {
  const out: ChangeDuty[] = [];
  if (change.requester.id === personId) out.push('requester');
  if (change.preReview?.by.id === personId) out.push('pre_reviewer');
  if (
    change.approvals.some(
      (a) => (a.by.id === personId || a.onBehalfOf?.id === personId) && isValidApproval(a, change),
    )
  ) {
    out.push('approver');
  }
  if (change.plan.implementer.id === personId || change.implementation?.by.id === personId) {
    out.push('implementer');
  }
  if (change.verification?.by.id === personId) out.push('verifier');
  return out;
}

/**
 * Separation of duties (3.3.3): the conflicts if this person took `duty` on the change. The
 * duties are held by different people unless the policy relaxes a pair; the requester never
 * approves their own change.
 *
 * @example
 * separationConflicts(change, engineer.id, 'verifier', policy); // [] or a violation per conflict
 */
export function separationConflicts(
  change: ChangeRequest,
  personId: string,
  duty: ChangeDuty,
  policy: ChangePolicyLike,
): Violation[] {
  const out: Violation[] = [];
  for (const held of dutiesOf(change, personId)) {
    if (held === duty || dutiesMayCoincide(policy, duty, held)) continue;
    out.push(
      violation(
        changeRule.separation,
        text(
          `同一人不能既是${dutyName(held).zh}又是${dutyName(duty).zh}`,
          `One person may not be both ${dutyName(held).en} and ${dutyName(duty).en}`,
        ),
        { person: personId, duty, conflictsWith: held },
      ),
    );
  }
  return out;
}
