import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { visible } from '@fernhilfe/testkit';
import { openPage, textOf } from '../e2e/support/browser.js';
import { expectNothingFor } from '../support/quiet.js';
import { acceptAndReadCredentials } from '../agent/support/agent-page.js';
import { openShellPage, PAGE_URL, startWindowsRig, type WindowsRig } from './support/quicksupport.js';

/** Starts `exe` as administrator (ShellExecuteW "runas"; wine asks nobody) and writes the shell's answer to `out`. */
const RUN_AS = String.raw`
const koffi = require(process.env.FERNHILFE_KOFFI_NATIVE);
const ShellExecuteW = koffi.load('shell32.dll').func('intptr __stdcall ShellExecuteW(void *, str16, str16, str16, str16, int)');
const fs = require('fs');
fs.writeFileSync(process.argv[3] + '.part', String(ShellExecuteW(null, 'runas', process.argv[2], null, null, 1)));
fs.renameSync(process.argv[3] + '.part', process.argv[3]);
`;

/**
 * Starts a program with the limited half of this process's token (TokenLinkedToken), as Windows
 * starts a program for an administrator whose UAC is on: wine gives every process started from
 * Linux the full administrator token, so the program under test must be started this way to run
 * without administrator rights. Waits for it and writes its exit code to the file in argv[2].
 */
const LIMITED = String.raw`
const koffi = require(process.env.FERNHILFE_KOFFI_NATIVE);
const fs = require('fs');
const k = koffi.load('kernel32.dll');
const a = koffi.load('advapi32.dll');
const GetCurrentProcess = k.func('void * __stdcall GetCurrentProcess()');
const OpenProcessToken = a.func('bool __stdcall OpenProcessToken(void *, uint32, _Out_ void **)');
const GetTokenInformation = a.func('bool __stdcall GetTokenInformation(void *, int, _Out_ void **, uint32, _Out_ uint32 *)');
const DuplicateTokenEx = a.func('bool __stdcall DuplicateTokenEx(void *, uint32, void *, int, int, _Out_ void **)');
const STARTUPINFOW = koffi.struct('FhTestStartupInfo', { cb: 'uint32', lpReserved: 'void *', lpDesktop: 'str16', lpTitle: 'str16', dwX: 'uint32', dwY: 'uint32', dwXSize: 'uint32', dwYSize: 'uint32', dwXCountChars: 'uint32', dwYCountChars: 'uint32', dwFillAttribute: 'uint32', dwFlags: 'uint32', wShowWindow: 'uint16', cbReserved2: 'uint16', lpReserved2: 'void *', hStdInput: 'void *', hStdOutput: 'void *', hStdError: 'void *' });
const PROCESS_INFORMATION = koffi.struct('FhTestProcessInfo', { hProcess: 'void *', hThread: 'void *', dwProcessId: 'uint32', dwThreadId: 'uint32' });
const CreateProcessAsUserW = a.func('__stdcall', 'CreateProcessAsUserW', 'bool', ['void *', 'str16', 'str16', 'void *', 'void *', 'bool', 'uint32', 'void *', 'str16', koffi.pointer(STARTUPINFOW), koffi.out(koffi.pointer(PROCESS_INFORMATION))]);
const WaitForSingleObject = k.func('uint32 __stdcall WaitForSingleObject(void *, uint32)');
const GetExitCodeProcess = k.func('bool __stdcall GetExitCodeProcess(void *, _Out_ uint32 *)');
const GetLastError = k.func('uint32 __stdcall GetLastError()');
const [out, commandLine] = process.argv.slice(2);
const fail = (what) => { fs.writeFileSync(out + '.part', 'failed: ' + what + ' ' + GetLastError()); fs.renameSync(out + '.part', out); process.exit(1); };
const token = [null];
if (!OpenProcessToken(GetCurrentProcess(), 0x02000000, token)) fail('OpenProcessToken');
const linked = [null];
if (!GetTokenInformation(token[0], 19, linked, 8, [0])) fail('TokenLinkedToken');
const primary = [null];
if (!DuplicateTokenEx(linked[0], 0x02000000, null, 2, 1, primary)) fail('DuplicateTokenEx');
const pi = {};
if (!CreateProcessAsUserW(primary[0], null, commandLine, null, null, false, 0, null, null, { cb: koffi.sizeof(STARTUPINFOW) }, pi)) fail('CreateProcessAsUserW');
WaitForSingleObject(pi.hProcess, 0xffffffff);
const code = [0];
GetExitCodeProcess(pi.hProcess, code);
fs.writeFileSync(out + '.part', 'exit ' + code[0]);
fs.renameSync(out + '.part', out);
`;

/**
 * UAC, honestly: a program without administrator rights cannot put input into an administrator's
 * window. With an administrator's Notepad in front, the program's page says that input
 * cannot reach it and offers "Restart as administrator"; the customer's click starts the program
 * again elevated (a new page, a new ID and password) and ends this session.
 */
describe('QuickSupport for Windows under wine: an administrator’s window in front', () => {
  let rig: WindowsRig;

  beforeAll(async () => {
    rig = await startWindowsRig('uac');
  });
  afterAll(async () => {
    await rig?.stop();
  });

  it('says so in the page and restarts as administrator on the customer’s click, with a new ID and password', async () => {
    const { wine, srv, browser, dir, file: bundle, shellBrowser } = rig;
    const limited = path.join(dir, 'limited.cjs');
    const exitFile = path.join(dir, 'limited-exit.txt');
    writeFileSync(limited, LIMITED);
    const commandLine = [wine.nodeExe, bundle].map((p) => `"${wine.winPath(p)}"`).concat(['--server', srv.url, '--lang', 'en']).join(' ');
    const program = (rig.program = wine.node(limited, [wine.winPath(exitFile), commandLine], { name: 'limited', env: { FERNHILFE_AGENT_LOG: 'info' } }));
    const cust = await openShellPage(browser, shellBrowser, program);
    const first = await acceptAndReadCredentials(cust);
    const session = await (await srv.technician()).connect(first.id, first.password);
    await visible(cust.page, 'technician-name', 15_000);
    expect(await cust.page.getByTestId('elevated-window').count(), 'nothing elevated in front yet').toBe(0);
    await expectNothingFor(2_000, 'no elevated window and no secure desktop while the ordinary desktop shows', async () => {
      expect(await cust.page.getByTestId('elevated-window').count()).toBe(0);
      expect(await cust.page.getByTestId('secure-desktop').count()).toBe(0);
    });

    const runAs = path.join(dir, 'run-as.cjs');
    const answer = path.join(dir, 'run-as.txt');
    writeFileSync(runAs, RUN_AS);
    wine.node(runAs, ['notepad.exe', wine.winPath(answer)], { name: 'run-as' });
    await expect.poll(() => existsSync(answer), { timeout: 60_000, message: 'the helper started Notepad as administrator' }).toBe(true);
    expect(Number(readFileSync(answer, 'utf8')), 'ShellExecuteW succeeded').toBeGreaterThan(32);

    await visible(cust.page, 'elevated-window', 20_000).catch((err: unknown) => {
      throw new Error(`no notice; ${existsSync(exitFile) ? readFileSync(exitFile, 'utf8') : 'still running'}`, { cause: err });
    });
    expect(await textOf(cust.page, 'elevated-window')).toMatch(/running as administrator.*cannot use mouse or keyboard/s);
    expect(await textOf(cust.page, 'restart-note')).toMatch(/new ID and password/);

    const ended = session.once('ended');
    await cust.page.getByTestId('restart-elevated').click();
    expect((await ended).reason).toBe('ended-by-customer');
    await expect.poll(() => (existsSync(exitFile) ? readFileSync(exitFile, 'utf8') : ''), { timeout: 30_000, message: 'the limited program exits' }).toBe('exit 0');

    // the program started again (elevated), opened a new page: a new ID and password
    await expect.poll(() => shellBrowser.urls().length, { timeout: 60_000, message: 'the restarted program opens its page' }).toBe(2);
    const url = shellBrowser.urls()[1]!;
    expect(url).toMatch(PAGE_URL);
    const again = await openPage(browser, 'restarted page', { viewport: { width: 900, height: 900 }, locale: 'en-US' });
    await again.page.goto(url);
    const second = await acceptAndReadCredentials(again);
    expect(second.id).not.toBe(first.id);
    await expect((await srv.technician()).connect(first.id, first.password)).rejects.toThrow();

    const elevatedSession = await (await srv.technician()).connect(second.id, second.password);
    await visible(again.page, 'technician-name', 15_000);
    // elevated itself now: the administrator's Notepad no longer stops it, no notice
    await expect.poll(() => again.page.getByTestId('elevated-window').count(), { timeout: 5_000 }).toBe(0);
    const endedToo = elevatedSession.once('ended');
    await again.page.getByTestId('end-session').click();
    expect((await endedToo).reason).toBe('ended-by-customer');
  }, 240_000);
});
