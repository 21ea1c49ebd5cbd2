import { z } from 'zod';
import { authorityLevels } from './authority.js';
import { departmentKinds } from './departments.js';
import { type Role, roles } from './roles.js';

/** Who does something: a person with a department, roles and an authority level. */
export const ActorSchema = z.object({
  id: z.string().min(1),
  name: z.string().min(1),
  department: z.string().min(1),
  departmentKind: z.enum(departmentKinds),
  roles: z.array(z.enum(roles)).readonly(),
  level: z.enum(authorityLevels),
  /** People who have left or are disabled may act on nothing. Default `active`. */
  status: z.enum(['active', 'left', 'disabled']).optional(),
});

/** Who does something. */
export type Actor = z.infer<typeof ActorSchema>;

/** A reference to an actor as history and records keep it. */
export interface ActorRef {
  readonly id: string;
  readonly name: string;
}

/**
 * Tells whether an actor holds any of the roles.
 *
 * @example
 * hasAnyRole(actor, ['ops_manager', 'it_head']); // true for an ops manager
 */
export function hasAnyRole(actor: Pick<Actor, 'roles'>, wanted: readonly Role[]): boolean {
  for (const role of actor.roles) if (wanted.includes(role)) return true;
  return false;
}

/**
 * Tells whether an actor may act at all (not left, not disabled).
 *
 * @example
 * isActive({ ...actor, status: 'left' }); // false
 */
export function isActive(actor: Pick<Actor, 'status'>): boolean {
  return actor.status === undefined || actor.status === 'active';
}

/**
 * The reference history keeps of an actor.
 *
 * @example
 * actorRef(actor); // { id: 'u1', name: '王芳' }
 */
export function actorRef(actor: Pick<Actor, 'id' | 'name'>): ActorRef {
  return { id: actor.id, name: actor.name };
}
