import fc from 'fast-check';
import {
  compareByCreation,
  compareCodePoints,
  compareSeverity,
  decodeCursor,
  encodeCursor,
  extendsHistory,
  fixedClock,
  manualClock,
  randomIds,
  sequentialIds,
  systemClock,
} from 'opscharter/core';
import { actorRef, authorityRank, hasAnyRole, hasAuthority, isActive } from 'opscharter/org';
import { describe, expect, it, vi } from 'vitest';
import { people } from '../support/actors.js';
import { newTicket, renamed } from '../support/ticket.js';

describe('clocks, ids, cursors, history, org', () => {
  it('clocks', () => {
    expect(fixedClock('2026-03-31T09:00:00+08:00').now().toISOString()).toBe(
      '2026-03-31T01:00:00.000Z',
    );
    const c = manualClock('2026-03-31T01:00:00Z');
    c.advance(60_000);
    expect(c.now().toISOString()).toBe('2026-03-31T01:01:00.000Z');
    c.set('2027-01-01T00:00:00Z');
    expect(c.now().getUTCFullYear()).toBe(2027);
    expect(systemClock.now()).toBeInstanceOf(Date);
  });

  it('ids', () => {
    const ids = sequentialIds();
    expect([ids.next('INC'), ids.next('INC'), ids.next('CHG')]).toEqual([
      'INC-000001',
      'INC-000002',
      'CHG-000001',
    ]);
    expect(randomIds.next('INC')).toMatch(/^INC-[0-9a-f-]{36}$/);
  });

  it('random ids are version 4 UUIDs, also where crypto.randomUUID is missing (plain-HTTP pages)', () => {
    const uuid4 = /^INC-[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
    expect(randomIds.next('INC')).toMatch(uuid4);
    const getRandomValues = globalThis.crypto.getRandomValues.bind(globalThis.crypto);
    vi.stubGlobal('crypto', { getRandomValues });
    try {
      const ids = Array.from({ length: 1000 }, () => randomIds.next('INC'));
      for (const id of ids) expect(id).toMatch(uuid4);
      expect(new Set(ids).size).toBe(ids.length);
    } finally {
      vi.unstubAllGlobals();
    }
    expect(typeof globalThis.crypto.randomUUID).toBe('function');
  });

  it('cursors round-trip and reject junk', () => {
    const position = { createdAt: '2026-01-01T00:00:00.000Z', id: 'INC-1' };
    const decoded = decodeCursor(encodeCursor(position));
    expect(decoded.ok && decoded.value).toEqual(position);
    for (const junk of ['%', '[]', '"x"', encodeURIComponent('[1,2]')]) {
      const r = decodeCursor(junk);
      expect(!r.ok && r.error.issues[0]?.path).toBe('cursor');
    }
    expect(compareByCreation(position, { ...position, id: 'INC-2' })).toBe(-1);
    expect(compareByCreation(position, position)).toBe(0);
  });

  it('orders text by code point, as PostgreSQL orders UTF-8 bytes in the "C" collation', () => {
    const utf8 = new TextEncoder();
    const byBytes = (a: string, b: string) => {
      const x = utf8.encode(a);
      const y = utf8.encode(b);
      for (let i = 0; i < Math.min(x.length, y.length); i++) {
        if (x[i] !== y[i]) return x[i]! < y[i]! ? -1 : 1;
      }
      return Math.sign(x.length - y.length);
    };
    // Mostly near the ranges where UTF-16 order and code point order part.
    const char = fc.oneof(
      fc.constantFrom(
        'a',
        '\u00E9',
        '\uD7FF',
        '\uE000',
        '\uFF5E',
        '\uFFFF',
        '\u{10000}',
        '\u{1F600}',
      ),
      fc.string({ unit: 'binary', minLength: 1, maxLength: 1 }),
    );
    const text = fc.array(char, { maxLength: 4 }).map((chars) => chars.join(''));
    fc.assert(
      fc.property(text, text, (a, b) => {
        expect(compareCodePoints(a, b)).toBe(byBytes(a, b));
        expect(compareCodePoints(b, a)).toBe(-byBytes(a, b) || 0);
      }),
      { numRuns: 2000 },
    );
    expect(compareCodePoints('\uFF5E', '\u{1F600}')).toBe(-1);
    expect('\uFF5E' < '\u{1F600}').toBe(false);
  });

  it('history may only grow', () => {
    const t = newTicket(1);
    const t2 = renamed(t, 1);
    expect(extendsHistory(t.history, t2.history)).toBe(true);
    expect(extendsHistory(t2.history, t.history)).toBe(false);
    expect(extendsHistory(t.history, [{ ...t2.history[0]!, command: 'x' }])).toBe(false);
    expect(extendsHistory(t.history, [...t.history, { ...t2.history[1]!, seq: 7 }])).toBe(false);
  });

  it('org', () => {
    expect(authorityRank('department_head')).toBe(2);
    expect(hasAuthority('leadership', 'department_head')).toBe(true);
    expect(hasAuthority('manager', 'leadership')).toBe(false);
    expect(hasAnyRole(people.opsManager, ['ops_manager'])).toBe(true);
    expect(isActive(people.leaver)).toBe(false);
    expect(actorRef(people.engineer)).toEqual({ id: 'u-ops-2', name: '张伟' });
    expect(compareSeverity('critical', 'low')).toBeGreaterThan(0);
  });
});
