import { checkpointKeyFromSeed, fullXid, checkpointMessage, checkpointSignatureValid, signCheckpoint } from './audit-seal';
import { checkpointFileName } from './audit-witness';

const key = checkpointKeyFromSeed(Buffer.alloc(32, 7));
const head = { length: 42, head: Buffer.alloc(32, 0xab) };
const at = new Date('2026-11-29T12:00:00.000Z');

describe('signed audit checkpoints', () => {
  it('signs exactly the labelled length, head and time, and the signature verifies with the key it carries', () => {
    expect(checkpointMessage({ length: 42, head: 'ab'.repeat(32), at: at.toISOString() }).toString()).toBe(
      `sauti-audit-checkpoint/v1\n42\n${'ab'.repeat(32)}\n2026-11-29T12:00:00.000Z\n`,
    );
    const c = signCheckpoint(key, head, at);
    expect(c).toMatchObject({ version: 1, length: 42, head: 'ab'.repeat(32), at: '2026-11-29T12:00:00.000Z', publicKey: key.publicKey.toString('hex') });
    expect(checkpointSignatureValid(c)).toBe(true);
  });

  it('when any signed field or the key is changed, then the signature no longer verifies', () => {
    const c = signCheckpoint(key, head, at);
    expect(checkpointSignatureValid({ ...c, length: 41 })).toBe(false);
    expect(checkpointSignatureValid({ ...c, head: 'cd'.repeat(32) })).toBe(false);
    expect(checkpointSignatureValid({ ...c, at: '2026-11-29T12:00:01.000Z' })).toBe(false);
    expect(checkpointSignatureValid({ ...c, publicKey: checkpointKeyFromSeed(Buffer.alloc(32, 8)).publicKey.toString('hex') })).toBe(false);
    expect(checkpointSignatureValid({ ...c, signature: 'zz' })).toBe(false);
  });

  it('names witness files so that they sort by length, then time', () => {
    const a = checkpointFileName(signCheckpoint(key, { ...head, length: 9 }, at));
    const b = checkpointFileName(signCheckpoint(key, { ...head, length: 10 }, at));
    expect(a).toBe('checkpoint-000000000009-20261129T120000000Z.json');
    expect([b, a].sort()).toEqual([a, b]);
  });
});

describe('fullXid', () => {
  it('when a 32-bit xid from pg_stat_activity is placed near the snapshot, then it keeps its epoch, also across a wrap', () => {
    const epoch = 3n << 32n;
    expect(fullXid(epoch + 1_000n, 990n)).toBe(epoch + 990n);
    expect(fullXid(epoch + 1_000n, 1_010n)).toBe(epoch + 1_010n); // assigned after the snapshot
    expect(fullXid(epoch + 5n, 0xffff_fff0n)).toBe(epoch - 16n); // previous epoch, just before the wrap
    expect(fullXid(epoch - 16n, 5n)).toBe(epoch + 5n); // next epoch, just after it
  });
});
