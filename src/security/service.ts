import {
  fromZodError,
  type OpsError,
  type ValidationError,
  validationError,
} from '../core/errors.js';
import type { ListQuery, Page, Repository } from '../core/repository.js';
import { err, ok, type Result } from '../core/result.js';
import {
  executeCommand,
  getById,
  listAvailableCommands,
  parseActor,
  type ServiceDeps,
  saveNew,
} from '../core/service.js';
import type { AvailableCommand } from '../core/workflow/available.js';
import { createEntity } from '../core/workflow/create.js';
import { type AuditOptions, type AuditWaiver, audit } from './audit.js';
import { diffReports, type ReportDiff } from './diff.js';
import { parseStoredReportId, type StoredReportId, type WaiverId } from './id.js';
import type { AuditReport } from './report.js';
import { reportWorkflow, type StoredReport, type StoredReportFilter } from './stored-report.js';
import {
  type SecurityPolicyHolder,
  type Waiver,
  type WaiverFilter,
  WaiverRequestSchema,
  waiverSpec,
  waiverWorkflow,
} from './waiver.js';

/** The repositories the security service stores through. */
export interface SecurityRepositories {
  readonly reports: Repository<StoredReport, StoredReportFilter>;
  readonly waivers: Repository<Waiver, WaiverFilter>;
}

/** The security service: audits, stored reports and waivers. */
export interface SecurityService {
  /** Audits a snapshot now (the service's clock), with the given waivers. Stores nothing. */
  audit(snapshot: unknown, options?: AuditOptions): Result<AuditReport, ValidationError>;
  /** Audits a snapshot now with every stored waiver, and stores the report. */
  run(
    actor: unknown,
    snapshot: unknown,
    options?: Pick<AuditOptions, 'validated'>,
  ): Promise<Result<StoredReport, OpsError>>;
  acknowledge(actor: unknown, id: StoredReportId): Promise<Result<StoredReport, OpsError>>;
  getReport(id: StoredReportId): Promise<Result<StoredReport, OpsError>>;
  listReports(query?: ListQuery<StoredReportFilter>): Promise<Result<Page<StoredReport>, OpsError>>;
  /** New, resolved and persisting findings between two stored reports. */
  diff(beforeId: StoredReportId, afterId: StoredReportId): Promise<Result<ReportDiff, OpsError>>;
  requestWaiver(actor: unknown, input: unknown): Promise<Result<Waiver, OpsError>>;
  approveWaiver(actor: unknown, id: WaiverId, note?: string): Promise<Result<Waiver, OpsError>>;
  rejectWaiver(actor: unknown, id: WaiverId, input: unknown): Promise<Result<Waiver, OpsError>>;
  revokeWaiver(actor: unknown, id: WaiverId, input: unknown): Promise<Result<Waiver, OpsError>>;
  expireWaiver(actor: unknown, id: WaiverId): Promise<Result<Waiver, OpsError>>;
  /** Moves every active waiver past its expiry to `expired`; returns those it moved. */
  expireDueWaivers(actor: unknown): Promise<Result<readonly Waiver[], OpsError>>;
  getWaiver(id: WaiverId): Promise<Result<Waiver, OpsError>>;
  listWaivers(query?: ListQuery<WaiverFilter>): Promise<Result<Page<Waiver>, OpsError>>;
  /** The waiver commands an actor may run now, with reasons when not. */
  availableWaiverCommands(
    waiver: Waiver,
    actor: unknown,
  ): Result<readonly AvailableCommand[], OpsError>;
}

/**
 * Creates the security service over its repositories and the shared deps (clock, ids, policy,
 * sink). The audit itself is pure; this shell loads waivers and stores reports.
 *
 * @example
 * const security = createSecurityService({ reports, waivers }, { clock, ids, policy, sink });
 * const stored = await security.run(auditor, snapshot);
 */
export function createSecurityService(
  repos: SecurityRepositories,
  deps: ServiceDeps<SecurityPolicyHolder>,
): SecurityService {
  const policy = { security: deps.policy.security ?? {} };

  async function allWaivers(): Promise<Result<Waiver[], OpsError>> {
    const out: Waiver[] = [];
    let cursor: string | undefined;
    for (;;) {
      const page = await repos.waivers.list({ where: { state: 'active' }, limit: 500, cursor });
      if (!page.ok) return page;
      out.push(...page.value.items);
      if (page.value.nextCursor === undefined) return ok(out);
      cursor = page.value.nextCursor;
    }
  }

  const service: SecurityService = {
    audit(snapshot, options = {}) {
      return audit(snapshot, policy, deps.clock.now(), options);
    },

    async run(actor, snapshot, options = {}) {
      const who = parseActor(actor);
      if (!who.ok) return who;
      const waivers = await allWaivers();
      if (!waivers.ok) return waivers;
      const now = deps.clock.now();
      const report = audit(snapshot, policy, now, {
        ...options,
        waivers: waivers.value as readonly AuditWaiver[],
      });
      if (!report.ok) return report;
      const { entity, event } = createEntity<StoredReport>(
        'security_report',
        'recorded',
        'run',
        {
          id: deps.ids.next('AUD'),
          at: report.value.at,
          profile: report.value.profile,
          findings: report.value.summary.findings,
          critical: report.value.summary.bySeverity.critical,
          report: report.value,
        },
        who.value,
        now,
      );
      return saveNew(repos.reports, deps, entity, [event]);
    },

    acknowledge(actor, id) {
      return executeCommand(repos.reports, reportWorkflow, deps, actor, id, {
        type: 'acknowledge',
      });
    },

    getReport: (id) => getById(repos.reports, id),
    listReports: (query) => repos.reports.list(query),

    async diff(beforeId, afterId) {
      // Both ids are checked before either is read: a malformed one is a validation error
      // naming it, whatever the other is (not a not_found for the first).
      const issues = [
        parseStoredReportId(beforeId, 'beforeId'),
        parseStoredReportId(afterId, 'afterId'),
      ].flatMap((r) => (r.ok ? [] : r.error.issues));
      if (issues.length > 0) return err(validationError(issues));
      const before = await repos.reports.get(beforeId);
      if (!before.ok) return before;
      const after = await repos.reports.get(afterId);
      if (!after.ok) return after;
      return ok(diffReports(before.value.report, after.value.report));
    },

    async requestWaiver(actor, input) {
      const who = parseActor(actor);
      if (!who.ok) return who;
      const parsed = WaiverRequestSchema.safeParse(input);
      if (!parsed.success) return err(fromZodError(parsed.error));
      const now = deps.clock.now();
      const { entity, event } = createEntity<Waiver>(
        'security_waiver',
        'requested',
        'request',
        {
          id: deps.ids.next('WVR'),
          ...parsed.data,
          requestedBy: { id: who.value.id, name: who.value.name },
        } as Omit<Waiver, 'state' | 'version' | 'createdAt' | 'updatedAt' | 'history'>,
        who.value,
        now,
      );
      return saveNew(repos.waivers, deps, entity, [event]);
    },

    approveWaiver(actor, id, note) {
      return executeCommand(repos.waivers, waiverWorkflow, deps, actor, id, {
        type: 'approve',
        note,
      });
    },
    rejectWaiver(actor, id, input) {
      return executeCommand(repos.waivers, waiverWorkflow, deps, actor, id, {
        type: 'reject',
        input,
      });
    },
    revokeWaiver(actor, id, input) {
      return executeCommand(repos.waivers, waiverWorkflow, deps, actor, id, {
        type: 'revoke',
        input,
      });
    },
    expireWaiver(actor, id) {
      return executeCommand(repos.waivers, waiverWorkflow, deps, actor, id, { type: 'expire' });
    },

    async expireDueWaivers(actor) {
      const who = parseActor(actor);
      if (!who.ok) return who;
      const active = await allWaivers();
      if (!active.ok) return active;
      const now = deps.clock.now().getTime();
      const moved: Waiver[] = [];
      for (const w of active.value) {
        if (Date.parse(w.expiresAt) > now) continue;
        const r = await service.expireWaiver(who.value, w.id);
        if (!r.ok) return r;
        moved.push(r.value);
      }
      return ok(moved);
    },

    getWaiver: (id) => getById(repos.waivers, id),
    listWaivers: (query) => repos.waivers.list(query),

    availableWaiverCommands: (waiver, actor) =>
      listAvailableCommands(waiverWorkflow, waiverSpec, waiver, actor, {
        now: deps.clock.now(),
        policy: deps.policy,
      }),
  };
  return service;
}
