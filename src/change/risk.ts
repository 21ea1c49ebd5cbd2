import { compareCodePoints } from '../core/code-point-order.js';
import { type ValidationError, type ValidationIssue, validationError } from '../core/errors.js';
import { err, ok, type Result } from '../core/result.js';
import { text } from '../core/text.js';
import { type RiskAssessment, type RiskDriver, type RiskLevel, riskLevels } from './model.js';
import type { ChangePolicy } from './policy.js';

/** The answers to the risk questionnaire: question id to the chosen option's value. */
export type RiskAnswers = Readonly<Record<string, string>>;

/**
 * Computes the risk of a change from the questionnaire answers (3.3.2): the scores add up to a
 * level by the policy's thresholds, an answer may force a floor (`untested` is at least high),
 * and the result lists the answers that drove it, the heaviest first. Every question must be
 * answered; an unknown question or option is a validation error naming `answers.<question>`.
 *
 * @example
 * const r = assessRisk({ impact_breadth: 'single_ci', business_criticality: 'core', complexity: 'simple',
 *   rollback: 'easy', tested: 'fully', timing: 'off_peak' }, policy.change.risk);
 * r.ok && r.value.level; // 'low'
 */
export function assessRisk(
  answers: RiskAnswers,
  risk: ChangePolicy['risk'],
): Result<RiskAssessment, ValidationError> {
  const issues: ValidationIssue[] = [];
  const drivers: RiskDriver[] = [];
  let score = 0;
  let floor = 0;
  const known = new Set(risk.questions.map((q) => q.id));
  for (const key of Object.keys(answers)) {
    if (!known.has(key)) {
      issues.push({
        path: `answers.${key}`,
        code: 'unknown_question',
        message: text(`未知的问题:${key}`, `Unknown question: ${key}`),
      });
    }
  }
  for (const question of risk.questions) {
    const answer = answers[question.id];
    if (answer === undefined) {
      issues.push({
        path: `answers.${question.id}`,
        code: 'required',
        message: text(`请回答:${question.title.zh}`, `Please answer: ${question.title.en}`),
      });
      continue;
    }
    const option = question.options.find((o) => o.value === answer);
    if (!option) {
      const values = question.options.map((o) => o.value).join(' | ');
      issues.push({
        path: `answers.${question.id}`,
        code: 'invalid_value',
        message: text(`取值无效:应为 ${values} 之一`, `Invalid answer: expected one of ${values}`),
      });
      continue;
    }
    score += option.score;
    if (option.minLevel) floor = Math.max(floor, riskLevels.indexOf(option.minLevel));
    if (option.score > 0 || option.minLevel) {
      const driver: RiskDriver = {
        question: question.id,
        answer,
        score: option.score,
        title: text(
          `${question.title.zh}:${option.title.zh}`,
          `${question.title.en}: ${option.title.en}`,
        ),
      };
      drivers.push(option.minLevel ? { ...driver, minLevel: option.minLevel } : driver);
    }
  }
  if (issues.length > 0) return err(validationError(issues));
  const byScore = levelOfScore(score, risk.thresholds);
  const level = riskLevels[Math.max(byScore, floor)] as RiskLevel;
  drivers.sort((a, b) => b.score - a.score || compareCodePoints(a.question, b.question));
  return ok({ level, score, drivers });
}

function levelOfScore(score: number, thresholds: ChangePolicy['risk']['thresholds']): number {
  if (score >= thresholds.critical) return 3;
  if (score >= thresholds.high) return 2;
  if (score >= thresholds.medium) return 1;
  return 0;
}

/**
 * Tells whether a risk level needs detailed risk-response measures before approval (3.3.2).
 *
 * @example
 * needsRiskMeasures('high'); // true
 */
export function needsRiskMeasures(level: RiskLevel): boolean {
  return level === 'high' || level === 'critical';
}
