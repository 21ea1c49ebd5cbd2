/**
 * Memory for an audit's columns, allocated so that it does not make V8 mark the caller's heap.
 *
 * V8 counts `ArrayBuffer` memory as external, and once more than 64 MiB of it was allocated
 * since the last full collection it starts one: it marks every live object. An audit of a
 * million accounts needs about 300 MiB of columns while the caller's heap holds 2.5 GiB of
 * snapshot objects, so that mark took 2–4 s, more than the audit itself, and freed nothing
 * (the snapshot is alive). V8 does not charge a `SharedArrayBuffer` to one isolate, so it
 * starts no collection; Node still reports it in `process.memoryUsage().arrayBuffers`.
 *
 * The price is that the collector does not see this memory: columns nobody uses any more wait
 * for a collection something else causes. So the shared memory not yet collected is tracked,
 * and past `unseenLimit` the columns go back to plain `ArrayBuffer`s, which V8 counts: a loop
 * of audits cannot pile up memory the collector ignores.
 */

/**
 * Shared memory handed out and not yet collected, at most this much (bytes): the columns of
 * about six audits of a million accounts.
 */
const unseenLimit = 2 * 2 ** 30;

let unseen = 0;
let registry: FinalizationRegistry<number> | undefined;

/**
 * A zeroed buffer of `bytes` bytes for columns: shared memory while little of it is uncollected
 * (or when the runtime has none, a plain `ArrayBuffer`).
 *
 * @example
 * const owner = new Int32Array(scratchBuffer(4 * accounts.length));
 */
export function scratchBuffer(bytes: number): ArrayBufferLike {
  if (typeof SharedArrayBuffer !== 'function' || unseen + bytes > unseenLimit) {
    return new ArrayBuffer(bytes);
  }
  registry ??= new FinalizationRegistry((freed) => {
    unseen -= freed;
  });
  const buffer = new SharedArrayBuffer(bytes);
  unseen += bytes;
  registry.register(buffer, bytes);
  return buffer;
}
