import IORedis from 'ioredis';
import type { TestStack } from './stack';

export type Needle = { label: string; value: string | Uint8Array };
export type Hit = { label: string; where: string };

function contains(haystack: Buffer | string, needle: string | Uint8Array): boolean {
  if (typeof haystack === 'string') {
    return typeof needle === 'string' ? haystack.includes(needle) : haystack.includes(Buffer.from(needle).toString('hex'));
  }
  return haystack.indexOf(typeof needle === 'string' ? Buffer.from(needle, 'utf8') : Buffer.from(needle)) >= 0;
}

/**
 * Looks for each needle in every row of every table of the stack's database (text and raw bytes),
 * in every Redis key under the stack's prefix (whatever its type), and in the captured logs.
 */
export async function scanForSecrets(stack: TestStack, needles: Needle[]): Promise<{ hits: Hit[]; scanned: { rows: number; redisKeys: number; logLines: number } }> {
  const hits: Hit[] = [];
  const check = (where: string, value: Buffer | string) => {
    for (const n of needles) if (contains(value, n.value)) hits.push({ label: n.label, where });
  };

  let rowCount = 0;
  const { rows: tables } = await stack.pool.query<{ table_name: string }>(
    "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE' ORDER BY 1",
  );
  for (const { table_name } of tables) {
    const { rows } = await stack.pool.query(`SELECT * FROM "${table_name}"`);
    rowCount += rows.length;
    rows.forEach((row: Record<string, unknown>, i) => {
      for (const [column, value] of Object.entries(row)) {
        if (value === null || value === undefined) continue;
        const where = `postgres ${table_name}[${i}].${column}`;
        if (Buffer.isBuffer(value)) check(where, value);
        else if (Array.isArray(value) && value.some(Buffer.isBuffer)) value.forEach((v) => Buffer.isBuffer(v) && check(where, v));
        else check(where, typeof value === 'string' ? value : JSON.stringify(value));
      }
    });
  }

  const redis = new IORedis(stack.config.REDIS_URL);
  let redisKeys = 0;
  try {
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${stack.config.QUEUE_PREFIX}:*`, 'COUNT', 500);
      cursor = next;
      for (const key of keys) {
        redisKeys++;
        check(`redis key name ${key}`, key);
        const type = await redis.type(key);
        let dump: (string | Buffer)[] = [];
        if (type === 'string') dump = [(await redis.getBuffer(key)) ?? ''];
        else if (type === 'hash') dump = Object.entries(await redis.hgetallBuffer(key)).flatMap(([k, v]) => [k, v]);
        else if (type === 'list') dump = await redis.lrangeBuffer(key, '0', '-1');
        else if (type === 'set') dump = await redis.smembersBuffer(key);
        else if (type === 'zset') dump = await redis.zrangeBuffer(key, '0', '-1');
        else if (type === 'stream') dump = (await redis.xrange(key, '-', '+')).flatMap(([id, fields]) => [id, ...fields]);
        for (const part of dump) check(`redis ${type} ${key}`, part);
      }
    } while (cursor !== '0');
  } finally {
    redis.disconnect();
  }

  const logLines = [...stack.apiLogs, ...stack.workerLogs];
  logLines.forEach((line, i) => check(`log line ${i}`, line));
  return { hits, scanned: { rows: rowCount, redisKeys, logLines: logLines.length } };
}
