import { describe, expect, it } from 'vitest';
import { scratchBuffer } from '../../src/security/scratch.js';

describe('scratchBuffer', () => {
  it('hands out zeroed memory of the asked size, shared where the runtime has it', () => {
    const buffer = scratchBuffer(1024);
    expect(buffer.byteLength).toBe(1024);
    expect(buffer).toBeInstanceOf(SharedArrayBuffer);
    expect(new Int32Array(buffer).every((x) => x === 0)).toBe(true);
  });
});
