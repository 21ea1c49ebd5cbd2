import type { AggregateSpec, Repository } from '../core/repository.js';
import { text } from '../core/text.js';
import { type ChangeRequest, ChangeRequestSchema } from './model.js';

/** The fields change lists filter on. */
export type ChangeFilter =
  | 'state'
  | 'type'
  | 'risk'
  | 'ci'
  | 'domain'
  | 'requester'
  | 'implementer'
  | 'templateId';

/**
 * How change requests are stored: the schema and the list filters, for every adapter.
 *
 * @example
 * const changes = createMemoryRepository(changeSpec);
 */
export const changeSpec: AggregateSpec<ChangeRequest, ChangeFilter> = {
  name: 'change',
  title: text('变更', 'Change'),
  schema: ChangeRequestSchema as never,
  filters: {
    state: (c) => c.state,
    type: (c) => c.type,
    risk: (c) => c.evaluation?.risk.level,
    ci: (c) => c.scope.cis,
    domain: (c) => c.scope.domains,
    requester: (c) => c.requester.id,
    implementer: (c) => c.plan.implementer.id,
    templateId: (c) => c.templateId,
  },
};

/** The port a store implements for change requests. */
export type ChangeRepository = Repository<ChangeRequest, ChangeFilter>;
