import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../../src/errors.js';
import {
  loadDotenvFiles,
  parseDotenv,
  secretMasker,
  substituteEnv,
} from '../../../src/serve/env-files.js';

describe('.env files and stages', () => {
  it('parses dotenv syntax: export, quotes, comments, escapes', () => {
    expect(
      parseDotenv(
        '# comment\nexport A=1\nB="two words" \nC=\'single # not a comment\'\nD=plain # trailing\nE="line\\nbreak"\nnot a line\n',
      ),
    ).toEqual({
      A: '1',
      B: 'two words',
      C: 'single # not a comment',
      D: 'plain',
      E: 'line\nbreak',
    });
  });

  it('.env.<stage> overrides .env, and only for that stage', () => {
    const dir = mkdtempSync(join(tmpdir(), 'lbuild-env-'));
    writeFileSync(join(dir, '.env'), 'API_URL=http://local\nLOG=debug\n');
    writeFileSync(join(dir, '.env.prod'), 'API_URL=https://prod\n');
    expect(loadDotenvFiles(dir, undefined).values).toEqual({
      API_URL: 'http://local',
      LOG: 'debug',
    });
    const prod = loadDotenvFiles(dir, 'prod');
    expect(prod.values).toEqual({ API_URL: 'https://prod', LOG: 'debug' });
    expect(prod.files.map((f) => f.split('/').pop())).toEqual(['.env', '.env.prod']);
  });

  it('substitutes ${env:VAR} from .env first, then the host, with defaults', () => {
    const result = substituteEnv(
      { URL: 'https://${env:HOST}/v1', KEY: '${env:API_KEY}', MODE: '${env:MODE, dev}' },
      { dotenv: { HOST: 'example.test' }, host: { HOST: 'ignored', API_KEY: 'k-123' } },
      'environment',
    );
    expect(result).toEqual({ URL: 'https://example.test/v1', KEY: 'k-123', MODE: 'dev' });
  });

  it('names the JSON path of a reference to an unset variable', () => {
    expect(() =>
      substituteEnv(
        { TOKEN: '${env:MISSING_TOKEN}' },
        { dotenv: {}, host: {} },
        'functions.api.environment',
      ),
    ).toThrow(ConfigError);
    try {
      substituteEnv(
        { TOKEN: '${env:MISSING_TOKEN}' },
        { dotenv: {}, host: {} },
        'functions.api.environment',
      );
    } catch (error) {
      expect((error as ConfigError).jsonPath).toBe('functions.api.environment.TOKEN');
      expect((error as ConfigError).hint).toContain('.env');
    }
  });

  it('masks secret-looking values and URL passwords in log lines', () => {
    const mask = secretMasker({
      STRIPE_SECRET_KEY: 'sk_live_abc123',
      DB_PASSWORD: 'hunter22',
      LOG_LEVEL: 'debug',
    });
    expect(mask('charging with sk_live_abc123 at debug level')).toBe(
      'charging with **** at debug level',
    );
    expect(mask('postgresql://shop:hunter22@db:5432/shop')).toBe(
      'postgresql://shop:****@db:5432/shop',
    );
    expect(mask('postgres://u:other@h/x')).toBe('postgres://u:****@h/x');
  });
});
