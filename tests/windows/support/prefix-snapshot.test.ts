import { describe, expect, it } from 'vitest';
import { parseRegistry, prefixDifferences } from './prefix-snapshot.js';

const REG = `WINE REGISTRY Version 2
;; All keys relative to \\\\Machine

#arch=win64

[Software\\\\Wine\\\\WineBrowser] 1796617352
#time=1dd8602944f690a
"Browsers"="/tmp/record-browser.sh"
@="default"
"Long"=hex:01,02,\\
  03,04

[System\\\\CurrentControlSet\\\\Control\\\\Class\\\\{4D36E968-E325-11CE-BFC1-08002BE10318}\\\\0000] 1796617353
#time=1dd8602944f690b
"DriverDateData"=hex:ff,27,ed,84,04,86,dd,01
"DriverDesc"="Wine Adapter"

[System\\\\CurrentControlSet\\\\Enum\\\\DISPLAY\\\\Default_Monitor\\\\0000&0000\\\\Properties\\\\{233a9ef3-afc4-4abd-b564-c32f21f1535b}\\\\0004] 1796617354
@=hex(ffff1003):00,00,00,00,00,00,00,00,00,04,00,00,80,02,00,00
`;

describe('the wine prefix snapshot', () => {
  it('parses keys and values, joins continued lines, leaves out timestamps and the values wine itself rewrites (driver load time, work area)', () => {
    const values = parseRegistry('system.reg', REG);
    expect([...values]).toEqual([
      ['system.reg:[Software\\\\Wine\\\\WineBrowser]', ''],
      ['system.reg:[Software\\\\Wine\\\\WineBrowser] "Browsers"', '"/tmp/record-browser.sh"'],
      ['system.reg:[Software\\\\Wine\\\\WineBrowser] @', '"default"'],
      ['system.reg:[Software\\\\Wine\\\\WineBrowser] "Long"', 'hex:01,02,03,04'],
      ['system.reg:[System\\\\CurrentControlSet\\\\Control\\\\Class\\\\{4D36E968-E325-11CE-BFC1-08002BE10318}\\\\0000]', ''],
      ['system.reg:[System\\\\CurrentControlSet\\\\Control\\\\Class\\\\{4D36E968-E325-11CE-BFC1-08002BE10318}\\\\0000] "DriverDesc"', '"Wine Adapter"'],
      ['system.reg:[System\\\\CurrentControlSet\\\\Enum\\\\DISPLAY\\\\Default_Monitor\\\\0000&0000\\\\Properties\\\\{233a9ef3-afc4-4abd-b564-c32f21f1535b}\\\\0004]', ''],
    ]);
  });

  it('reports a new key, a changed value and a removed file; a key whose time alone changed is no difference', () => {
    const before = { registry: parseRegistry('user.reg', REG), files: new Map([['users/root/Temp/', 'dir'], ['x.txt', '3 bytes']]) };
    const later = REG.replace('#time=1dd8602944f690a', '#time=1dd8602944f6999').replace('1796617352', '1796619999');
    expect(prefixDifferences(before, { registry: parseRegistry('user.reg', later), files: new Map(before.files) })).toEqual([]);
    const changed = later.replace('"DriverDesc"="Wine Adapter"', '"DriverDesc"="Other"') + '\n[Software\\\\Fernhilfe] 1\n';
    const files = new Map([['users/root/Temp/', 'dir']]);
    expect(prefixDifferences(before, { registry: parseRegistry('user.reg', changed), files })).toEqual([
      '~ registry user.reg:[System\\\\CurrentControlSet\\\\Control\\\\Class\\\\{4D36E968-E325-11CE-BFC1-08002BE10318}\\\\0000] "DriverDesc": "Wine Adapter" → "Other"',
      '+ registry user.reg:[Software\\\\Fernhilfe] = ',
      '- drive_c x.txt',
    ]);
  });
});
