const UUID_V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

/** SIP/1: ids are lowercase UUID v4 strings; anything else is refused. */
export function isUuidV4(value: string): boolean {
  return UUID_V4.test(value);
}

const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

/**
 * A short human case reference such as "SA-7K3Q-9XMF" (40 random bits). It is not secret: it lets a
 * reporter and staff name a case on the telephone. `randomIndex(n)` must be a CSPRNG in [0, n).
 */
export function makeCaseReference(randomIndex: (n: number) => number): string {
  const group = () => Array.from({ length: 4 }, () => CROCKFORD[randomIndex(32)]).join('');
  return `SA-${group()}-${group()}`;
}
