import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { applyEnvFile, readEnvFile } from './env-file';
import { loadConfig } from './index';
import { productionRefusals } from './production';

describe('the env file the set-up scripts write', () => {
  let dir: string;
  beforeAll(() => (dir = mkdtempSync(path.join(tmpdir(), 'sauti-envfile-'))));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('when it has comments, quotes and export, then each KEY=VALUE is read as written', () => {
    const file = path.join(dir, 'a.env');
    writeFileSync(file, '# made by scripts/run.sh\nDATABASE_URL=postgres://sauti:abc@127.0.0.1:5432/sauti\nexport A="x y"\n\nB=\'=z\'\nnot a line\n');
    expect(readEnvFile(file)).toEqual({ DATABASE_URL: 'postgres://sauti:abc@127.0.0.1:5432/sauti', A: 'x y', B: '=z' });
  });

  it('when a variable is set in the environment, then it wins over the file; unset and empty ones are filled', () => {
    const file = path.join(dir, 'b.env');
    writeFileSync(file, 'DATABASE_URL=postgres://from-file/sauti\nREDIS_URL=redis://from-file\nPORT=1\n');
    const env: Record<string, string | undefined> = { SAUTI_ENV_FILE: file, DATABASE_URL: 'postgres://from-env/sauti', PORT: '' };
    expect(applyEnvFile(env).sort()).toEqual(['PORT', 'REDIS_URL']);
    expect(env).toMatchObject({ DATABASE_URL: 'postgres://from-env/sauti', REDIS_URL: 'redis://from-file', PORT: '1' });
  });

  it('when the file is missing, then nothing is filled', () => {
    expect(applyEnvFile({ SAUTI_ENV_FILE: path.join(dir, 'missing.env') })).toEqual([]);
  });
});

describe('defaults and production refusals', () => {
  it('when nothing is set, then Sauti connects as role sauti, not as the postgres superuser', () => {
    expect(new URL(loadConfig({}).DATABASE_URL).username).toBe('sauti');
  });

  it.each([
    ['http://localhost:8080', []],
    ['http://127.0.0.1:8080', []],
    ['http://abcdefghijklmnopqrstuvwxyz234567abcdefghijklmnopqrstuvwx.onion', []],
    ['https://sauti.customs.example', []],
    ['http://sauti.customs.example', ['PUBLIC_URL']],
  ])('when PUBLIC_URL is %s in production with METRICS_TOKEN set, then the refusals name %j', (url, names) => {
    const problems = productionRefusals(loadConfig({ NODE_ENV: 'production', PUBLIC_URL: url, METRICS_TOKEN: 'x'.repeat(16) }), 'api');
    expect(problems.map((p) => /^[A-Z_]+/.exec(p)![0])).toEqual(names);
  });

  it('when METRICS_TOKEN is unset, then only the api (which serves /metrics) refuses, and nothing refuses outside production', () => {
    const config = loadConfig({ NODE_ENV: 'production', PUBLIC_URL: 'https://sauti.customs.example' });
    expect(productionRefusals(config, 'api')).toEqual([expect.stringMatching(/^METRICS_TOKEN is not set/)]);
    expect(productionRefusals(config, 'worker')).toEqual([]);
    expect(productionRefusals(loadConfig({ PUBLIC_URL: 'http://sauti.customs.example' }), 'api')).toEqual([]);
  });
});
