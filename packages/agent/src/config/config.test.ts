import { describe, expect, it } from 'vitest';
import { languageFrom, parseArgs } from './config.js';

describe('the agent’s command line', () => {
  it('takes --server, --no-browser, --terminal, --dialog and --lang', () => {
    const r = parseArgs(['--server', 'https://support.example.com/some/path', '--no-browser', '--lang', 'de'], {});
    expect(r.ok && r.config.server.toString()).toBe('https://support.example.com/');
    expect(r.ok && r.config.face).toBe('url');
    expect(r.ok && r.config.language).toBe('de');
    const t = parseArgs(['--server', 'https://s.example', '--terminal'], { LANG: 'en_GB.UTF-8' });
    expect(t.ok && t.config.face).toBe('terminal');
    expect(t.ok && t.config.language).toBe('en');
    const b = parseArgs(['--server', 'https://s.example'], { LANG: 'de_DE.UTF-8' });
    expect(b.ok && b.config.face).toBe('browser');
    expect(b.ok && b.config.language).toBe('de');
    const d = parseArgs(['--server', 'https://s.example', '--dialog'], {});
    expect(d.ok && d.config.face).toBe('dialog');
  });

  it('uses the server built in unless --server overrides it', () => {
    const baked = parseArgs([], {}, 'https://built.example');
    expect(baked.ok && baked.config.server.host).toBe('built.example');
    const over = parseArgs(['--server', 'https://other.example'], {}, 'https://built.example');
    expect(over.ok && over.config.server.host).toBe('other.example');
  });

  it('refuses no server, plain http to another machine, credentials in the URL, and unknown options, in plain words', () => {
    const none = parseArgs([], { LANG: 'de_DE' }, undefined);
    expect(none.ok).toBe(false);
    expect(!none.ok && none.message).toMatch(/kennt seinen Server nicht/);
    const http = parseArgs(['--server', 'http://support.example.com'], {});
    expect(!http.ok && http.message).toMatch(/must start with https/);
    expect(parseArgs(['--server', 'http://127.0.0.1:8080'], {}).ok).toBe(true);
    expect(parseArgs(['--server', 'http://localhost:8080'], {}).ok).toBe(true);
    expect(parseArgs(['--server', 'https://u:p@s.example'], {}).ok).toBe(false);
    expect(parseArgs(['--server', 'ftp://s.example'], {}).ok).toBe(false);
    const unknown = parseArgs(['--server', 'https://s.example', '--bogus'], {});
    expect(!unknown.ok && unknown.exitCode).not.toBe(0);
    expect(parseArgs(['--server', 'https://s.example', '--lang', 'fr'], {}).ok).toBe(false);
  });

  it('reads the language from the locale', () => {
    expect(languageFrom({ LANG: 'de_AT.UTF-8' })).toBe('de');
    expect(languageFrom({ LC_ALL: 'C' , LANG: 'de_DE' })).toBe('en');
    expect(languageFrom({})).toBe('en');
  });
});
