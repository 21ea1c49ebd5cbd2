// Security audit at scale: 100k and 1M accounts, end to end from plain objects.
// `npm run bench -- security` (the script gives Node the large heap and gc the 1M run needs):
// NODE_OPTIONS='--max-old-space-size=16384 --expose-gc' npm run bench -- security
// SECURITY_BENCH_SCALES=100000 limits the scales.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { getHeapStatistics } from 'node:v8';
import { audit, auditColumns, prepareAudit, validateSnapshot } from 'opscharter/security';
import { compare, fmt, peakMemory, printTable } from './_lib/report.js';

const AT = '2026-03-31T09:00:00+08:00';
const DAY = 86_400_000;
const atMs = Date.parse(AT);

function rng(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const isoAgo = (r: () => number, maxDays: number) =>
  new Date(atMs - Math.floor(r() * maxDays * DAY)).toISOString();

/** A company: 0.85 people per account (4% left), ~10 grants per account, 2,000 roles, 200 SoD pairs. */
export function generateCompany(accounts: number, seed = 1) {
  const r = rng(seed);
  const peopleCount = Math.round(accounts * 0.85);
  const people = Array.from({ length: peopleCount }, (_, i) => {
    const left = r() < 0.04;
    return {
      id: `P${String(i).padStart(7, '0')}`,
      name: `Person ${i}`,
      department: `D${i % 40}`,
      departmentKind: i % 10 === 0 ? 'it' : 'business',
      status: left ? 'left' : 'active',
      leftAt: left ? isoAgo(r, 200) : null,
    };
  });
  const roleCount = 2000;
  const roles = Array.from({ length: roleCount }, (_, i) => ({
    id: `R${String(i).padStart(4, '0')}`,
    system: `S${i % 50}`,
    privileged: i % 33 === 0,
    permissions: i % 997 === 0 ? ['*'] : [`perm.${i}.read`, `perm.${i}.write`],
    ...(i === 33
      ? { adminKind: 'system' }
      : i === 66
        ? { adminKind: 'security' }
        : i === 99
          ? { adminKind: 'audit' }
          : {}),
  }));
  const accountList = Array.from({ length: accounts }, (_, i) => {
    const owner =
      i < peopleCount
        ? people[i]!.id
        : r() < 0.02
          ? null
          : r() < 0.01
            ? `X${i}`
            : people[Math.floor(r() * peopleCount)]!.id;
    const left = owner !== null && i < peopleCount && people[i]!.status === 'left';
    const t = r();
    const type = t < 0.95 ? 'personal' : t < 0.98 ? 'service' : t < 0.995 ? 'shared' : 'default';
    return {
      id: `A${String(i).padStart(8, '0')}`,
      system: `S${i % 50}`,
      owner,
      type,
      enabled: left ? r() < 0.25 : r() < 0.98,
      createdAt: isoAgo(r, 2000),
      lastLoginAt: r() < 0.01 ? null : isoAgo(r, r() < 0.95 ? 80 : 400),
      passwordChangedAt: isoAgo(r, 85),
      mfa: r() < 0.97,
      interactiveLogin: type === 'service' ? r() < 0.1 : undefined,
      dedicatedAdmin: r() < 0.9,
    };
  });
  const grants: Record<string, unknown>[] = [];
  const privilegedRoles = roles.filter((x) => x.privileged);
  const plainRoles = roles.filter((x) => !x.privileged);
  for (let i = 0; i < accounts; i++) {
    const n = 8 + Math.floor(r() * 5);
    const account = accountList[i]!.id;
    for (let k = 0; k < n; k++) {
      // 3% of roles are privileged, and rarely granted: ~3% of accounts hold one.
      const privileged = r() < 0.003;
      const pick = Math.floor(r() * (privileged ? privilegedRoles.length : plainRoles.length));
      const role = (privileged ? privilegedRoles : plainRoles)[pick]!.id;
      grants.push({
        id: `G${i}-${k}`,
        account,
        role,
        grantedAt: isoAgo(r, 1500),
        grantedBy: 'P0000000',
        lastUsedAt: isoAgo(r, r() < 0.99 ? 85 : 300),
        expiresAt: privileged
          ? r() < 0.9
            ? new Date(atMs + 30 * DAY).toISOString()
            : null
          : r() < 0.5
            ? new Date(atMs + 30 * DAY).toISOString()
            : null,
      });
    }
  }
  const sodRules = Array.from({ length: 200 }, (_, k) => ({
    id: `SOD${k}`,
    roles: [roles[(k * 7) % roleCount]!.id, roles[(k * 13 + 1000) % roleCount]!.id],
  }));
  const systems = Array.from({ length: 50 }, (_, i) => ({
    id: `S${i}`,
    lastAccessReviewAt: isoAgo(r, 120),
    lastVulnerabilityScanAt: isoAgo(r, 120),
  }));
  return { people, accounts: accountList, roles, grants, sodRules, systems };
}

type Company = ReturnType<typeof generateCompany>;
// biome-ignore lint/suspicious/noExplicitAny: the idiomatic join reads untyped records
type Rec = Record<string, any>;

/** The idiomatic way: Maps and Sets keyed by id, Date.parse per comparison. */
function mapJoin(s: Company) {
  const cut = atMs - 90 * DAY;
  const people = new Map<string, Rec>(s.people.map((p) => [p.id, p]));
  const roles = new Map<string, Rec>(s.roles.map((x) => [x.id, x]));
  const byOwner = new Map<string, Rec[]>();
  const orphans: Rec[] = [];
  for (const a of s.accounts) {
    if (!a.owner || !people.has(a.owner)) orphans.push(a);
    else {
      const list = byOwner.get(a.owner);
      if (list) list.push(a);
      else byOwner.set(a.owner, [a]);
    }
  }
  const byAccount = new Map<string, Rec[]>();
  for (const g of s.grants) {
    const list = byAccount.get(g.account as string);
    if (list) list.push(g);
    else byAccount.set(g.account as string, [g]);
  }
  const findings: { rule: string; subject: string }[] = [];
  for (const a of orphans) if (a.enabled) findings.push({ rule: 'orphan', subject: a.id });
  for (const p of s.people) {
    const left = p.status === 'left';
    const held = new Set<string>();
    for (const a of byOwner.get(p.id) ?? []) {
      if (left && a.enabled) findings.push({ rule: 'leaver', subject: a.id });
      if (a.enabled && a.lastLoginAt && Date.parse(a.lastLoginAt) < cut) {
        findings.push({ rule: 'dormant', subject: a.id });
      }
      let priv = false;
      for (const g of byAccount.get(a.id) ?? []) {
        if (g.expiresAt && Date.parse(g.expiresAt) <= atMs) continue;
        if (roles.get(g.role)?.privileged) priv = true;
        if (a.enabled) held.add(g.role);
      }
      if (priv && a.enabled && !a.mfa) findings.push({ rule: 'no_mfa', subject: a.id });
    }
    for (const rule of s.sodRules) {
      if (rule.roles.every((x: string) => held.has(x)))
        findings.push({ rule: 'sod', subject: p.id });
    }
  }
  return findings.length;
}

/** Hand-written typed arrays for the five core checks, built from the same plain objects. */
function typedFive(s: Company) {
  const cut = atMs - 90 * DAY;
  const nP = s.people.length;
  const nA = s.accounts.length;
  const personIx = new Map<string, number>();
  const left = new Uint8Array(nP);
  s.people.forEach((p, i) => {
    personIx.set(p.id, i);
    left[i] = p.status === 'left' ? 1 : 0;
  });
  const roleIx = new Map<string, number>();
  const priv = new Uint8Array(s.roles.length);
  s.roles.forEach((x, i) => {
    roleIx.set(x.id, i);
    priv[i] = x.privileged ? 1 : 0;
  });
  const sodStart = new Int32Array(s.roles.length + 1);
  for (const rule of s.sodRules) for (const x of rule.roles) sodStart[roleIx.get(x)! + 1]!++;
  for (let i = 0; i < s.roles.length; i++) sodStart[i + 1]! += sodStart[i]!;
  const sodBy = new Int32Array(sodStart[s.roles.length]!);
  const sc = sodStart.slice();
  s.sodRules.forEach((rule, k) => {
    for (const x of rule.roles) sodBy[sc[roleIx.get(x)!]!++] = k;
  });
  const ownerStart = new Int32Array(nP + 2);
  const owner = new Int32Array(nA);
  const accIx = new Map<string, number>();
  s.accounts.forEach((a, i) => {
    accIx.set(a.id, i);
    const o = a.owner ? (personIx.get(a.owner) ?? -1) : -1;
    owner[i] = o;
    ownerStart[(o < 0 ? nP : o) + 1]!++;
  });
  for (let p = 0; p <= nP; p++) ownerStart[p + 1]! += ownerStart[p]!;
  const order = new Int32Array(nA);
  const rank = new Int32Array(nA);
  const oc = ownerStart.slice();
  for (let i = 0; i < nA; i++) {
    const r = oc[owner[i]! < 0 ? nP : owner[i]!]!++;
    order[r] = i;
    rank[i] = r;
  }
  const enabled = new Uint8Array(nA);
  const mfa = new Uint8Array(nA);
  const login = new Float64Array(nA);
  for (let r = 0; r < nA; r++) {
    const a = s.accounts[order[r]!]!;
    enabled[r] = a.enabled ? 1 : 0;
    mfa[r] = a.mfa ? 1 : 0;
    login[r] = a.lastLoginAt ? Date.parse(a.lastLoginAt) : Number.NaN;
  }
  const gStart = new Int32Array(nA + 1);
  const gRank = new Int32Array(s.grants.length);
  s.grants.forEach((g, k) => {
    const r = rank[accIx.get(g.account as string)!]!;
    gRank[k] = r;
    gStart[r + 1]!++;
  });
  for (let r = 0; r < nA; r++) gStart[r + 1]! += gStart[r]!;
  const gRole = new Int32Array(s.grants.length);
  const gLive = new Uint8Array(s.grants.length);
  const gc2 = gStart.slice();
  s.grants.forEach((g, k) => {
    const pos = gc2[gRank[k]!]!++;
    gRole[pos] = roleIx.get(g.role as string)!;
    gLive[pos] = g.expiresAt && Date.parse(g.expiresAt as string) <= atMs ? 0 : 1;
  });
  let findings = 0;
  const roleStamp = new Int32Array(s.roles.length).fill(-1);
  const ruleStamp = new Int32Array(s.sodRules.length).fill(-1);
  const hits = new Int32Array(s.sodRules.length);
  for (let p = 0; p <= nP; p++) {
    for (let r = ownerStart[p]!; r < ownerStart[p + 1]!; r++) {
      if (p === nP && enabled[r]) findings++;
      if (p < nP && left[p] && enabled[r]) findings++;
      if (enabled[r] && login[r]! < cut) findings++;
      let pr = false;
      for (let g = gStart[r]!; g < gStart[r + 1]!; g++) {
        if (!gLive[g]) continue;
        const role = gRole[g]!;
        if (priv[role]) pr = true;
        if (p < nP && enabled[r] && roleStamp[role] !== p) {
          roleStamp[role] = p;
          for (let x = sodStart[role]!; x < sodStart[role + 1]!; x++) {
            const k = sodBy[x]!;
            if (ruleStamp[k] !== p) {
              ruleStamp[k] = p;
              hits[k] = 0;
            }
            hits[k] = hits[k]! + 1;
            if (hits[k] === s.sodRules[k]!.roles.length) findings++;
          }
        }
      }
      if (pr && enabled[r] && !mfa[r]) findings++;
    }
  }
  return findings;
}

function ours(s: Company, validated: boolean) {
  const r = audit(s, undefined, AT, { validated });
  if (!r.ok) throw new Error(JSON.stringify(r.error.issues.slice(0, 3)));
  return r.value.summary.findings;
}

function time<T>(fn: () => T): { ms: number; result: T } {
  const t0 = performance.now();
  const result = fn();
  return { ms: performance.now() - t0, result };
}

const contenders: readonly [string, (s: Company) => number][] = [
  ['Map/Set join (5 core checks)', mapJoin],
  ['opscharter audit, zod-validated (all checks)', (s) => ours(s, false)],
  ['opscharter audit, validated: true (all checks)', (s) => ours(s, true)],
  ['hand-written typed arrays (5 core checks)', typedFive],
];

function heapMiB() {
  const m = process.memoryUsage();
  return (m.heapUsed + m.arrayBuffers) / 2 ** 20;
}

/**
 * Memory of one contender, measured in a fresh process so one run's heap does not hide the
 * next: the input's size, and the growth of RSS (`peakMemory`) and of the JS heap plus typed
 * arrays while the audit runs (no collection in between, so garbage counts too).
 */
async function measureChild(index: number, n: number): Promise<void> {
  globalThis.gc?.();
  const before = heapMiB();
  const company = generateCompany(n);
  globalThis.gc?.();
  const input = heapMiB() - before;
  const base = heapMiB();
  const [, fn] = contenders[index]!;
  const { peakMiB } = await peakMemory(() => fn(company));
  const heap = heapMiB() - base;
  console.log(JSON.stringify({ input, peakMiB, heap }));
}

function memoryOf(index: number, n: number): { input: number; peakMiB: number; heap: number } {
  const out = spawnSync(process.execPath, [...process.execArgv, fileURLToPath(import.meta.url)], {
    env: { ...process.env, SECURITY_BENCH_CHILD: `${index}:${n}` },
    encoding: 'utf8',
    maxBuffer: 1 << 20,
  });
  const line = out.stdout.trim().split('\n').pop() ?? '';
  try {
    return JSON.parse(line);
  } catch {
    return { input: Number.NaN, peakMiB: Number.NaN, heap: Number.NaN };
  }
}

export default async function securityBench(): Promise<void> {
  const heapGiB = getHeapStatistics().heap_size_limit / 2 ** 30;
  const wanted = (process.env.SECURITY_BENCH_SCALES ?? '100000,1000000').split(',').map(Number);
  const scales = wanted.filter((n) => n <= 100_000 || heapGiB >= 12);
  if (scales.length < wanted.length) {
    console.log(
      `\n(security: skipping ${wanted.filter((n) => !scales.includes(n)).join(', ')} accounts: heap ${heapGiB.toFixed(1)} GiB; run with NODE_OPTIONS=--max-old-space-size=16384)`,
    );
  }
  if (!globalThis.gc) console.log('(security: memory figures need --expose-gc)');
  const fast = new Map<number, number>();
  for (const n of scales) {
    let company: Company | undefined = generateCompany(n);
    console.log(
      `\n### security audit, ${fmt(n)} accounts, ${fmt(company.people.length)} people, ${fmt(company.grants.length)} grants`,
    );
    const rows: { name: string; opsPerSecond: number; nsPerOp: number }[] = [];
    // Rounds interleave the contenders, so a burst of load on a shared machine hits all of
    // them; each contender's best round counts. Three rounds at every size, so that the
    // scaling figure compares like with like (the first audit after building a million-account
    // input also meets the collector still sweeping it).
    const rounds = 3;
    const c = company;
    if (n < 1_000_000) for (const [, fn] of contenders) fn(c); // warm-up
    const times = contenders.map(() => Number.POSITIVE_INFINITY);
    const found = contenders.map(() => 0);
    for (let round = 0; round < rounds; round++) {
      contenders.forEach(([, fn], i) => {
        const t = time(() => fn(c));
        times[i] = Math.min(times[i]!, t.ms);
        found[i] = t.result;
      });
    }
    contenders.forEach(([name], i) => {
      rows.push({ name, opsPerSecond: (n * 1000) / times[i]!, nsPerOp: (times[i]! * 1e6) / n });
      console.log(`- ${name}: ${times[i]!.toFixed(0)} ms, ${fmt(found[i]!)} findings`);
    });
    fast.set(n, times[2]!);
    const prep = time(() => prepareAudit(company, undefined, { validated: true }));
    if (!prep.result.ok) throw new Error('prepare');
    const cols = prep.result.value;
    const checks = time(() => auditColumns(cols, undefined, AT));
    const zod = time(() => validateSnapshot(company));
    console.log(
      `- split: zod validation ${zod.ms.toFixed(0)} ms, columnar layout ${prep.ms.toFixed(0)} ms, checks + report ${checks.ms.toFixed(0)} ms`,
    );
    console.log(
      `- Map join ÷ opscharter: ${(times[0]! / times[2]!).toFixed(1)}× (validated: true), ${(times[0]! / times[1]!).toFixed(1)}× (zod)`,
    );
    printTable(`security audit, ${fmt(n)} accounts (per account; baseline: Map/Set join)`, rows);
    company = undefined;
    globalThis.gc?.();
    if (process.env.SECURITY_BENCH_MEMORY !== '0') {
      console.log(
        '\n| contender | input MiB | peak RSS growth MiB | heap+buffers growth MiB | growth ÷ input |',
      );
      console.log('|---|---:|---:|---:|---:|');
      contenders.forEach(([name], i) => {
        const m = memoryOf(i, n);
        console.log(
          `| ${name} | ${m.input.toFixed(0)} | ${m.peakMiB.toFixed(0)} | ${m.heap.toFixed(0)} | ${((100 * m.heap) / m.input).toFixed(0)}% |`,
        );
      });
    }
  }
  if (fast.has(100_000) && fast.has(1_000_000)) {
    console.log(
      `\ntime(1M) ÷ time(100k), opscharter validated: true: ${(fast.get(1_000_000)! / fast.get(100_000)!).toFixed(1)}`,
    );
  }
  // The harness's own comparison at a size tinybench can iterate.
  const small = generateCompany(10_000, 2);
  await compare(
    'security audit, 10k accounts (tinybench)',
    [
      { name: 'Map/Set join (5 core checks)', opsPerRun: 10_000, run: () => void mapJoin(small) },
      {
        name: 'opscharter audit, validated: true',
        opsPerRun: 10_000,
        run: () => void ours(small, true),
      },
      { name: 'opscharter audit, zod', opsPerRun: 10_000, run: () => void ours(small, false) },
      { name: 'typed arrays (5 core checks)', opsPerRun: 10_000, run: () => void typedFive(small) },
    ],
    { time: 500, iterations: 5 },
  );
}

const child = process.env.SECURITY_BENCH_CHILD;
if (child) {
  const [index, n] = child.split(':').map(Number);
  await measureChild(index!, n!);
}
