import { activationLink, ConfigError, loadConfig, totpResetLink } from './index';

describe('loadConfig', () => {
  it('when nothing is set, then the documented defaults apply', () => {
    const config = loadConfig({});
    expect(config.PORT).toBe(8080);
    expect(config.POW_DIFFICULTY).toBe(18);
    expect(config.SERVE_WEB).toBe(true);
  });

  it('when values are set, then they are parsed to their types', () => {
    const config = loadConfig({ PORT: '9000', POW_DIFFICULTY: '4', SERVE_WEB: 'false', DATABASE_URL: 'postgres://x@h/db' });
    expect(config).toMatchObject({ PORT: 9000, POW_DIFFICULTY: 4, SERVE_WEB: false, DATABASE_URL: 'postgres://x@h/db' });
  });

  it('when several variables are bad, then the error names each of them with what to do', () => {
    let caught: unknown;
    try {
      loadConfig({ PORT: 'eighty', DATABASE_URL: 'mysql://x', POW_DIFFICULTY: '99' });
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(ConfigError);
    const message = (caught as ConfigError).message;
    expect(message).toMatch(/PORT="eighty": must be a whole number/);
    expect(message).toMatch(/DATABASE_URL="mysql:\/\/x": must be a URL starting with postgres:\/\//);
    expect(message).toMatch(/POW_DIFFICULTY="99": must be at most 32/);
  });
});

describe('staff links', () => {
  it('when a one-time token is linked, then it travels in the fragment of a page under PUBLIC_URL', () => {
    expect(activationLink('https://sauti.example/', 'tok')).toBe('https://sauti.example/staff/activate#tok');
    expect(totpResetLink('https://sauti.example/app', 'tok')).toBe('https://sauti.example/staff/totp-reset#tok');
  });
});
