import { createInterface, type Interface } from 'node:readline';
import type { Readable, Writable } from 'node:stream';
import { MAX_FAILED_ATTEMPTS, formatCustomerId, type CustomerFlowState, type FilesView, type GrantName } from '@fernhilfe/protocol';
import type { AgentApp } from '../app/agent-app.js';
import { say, type TextKey } from './texts.js';

/** rows of terms per page (a classic terminal has 24) */
export const TERMS_PAGE_LINES = 20;

/** Control characters (ANSI escapes) from the technician or the server must not reach the terminal. */
// eslint-disable-next-line no-control-regex
export const clean = (s: string): string => s.replace(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g, ' ');

export interface TerminalOptions {
  app: AgentApp;
  language: 'de' | 'en';
  company: string;
  input: Readable;
  output: Writable;
}

/**
 * The customer's face without a browser: plain lines and one-letter answers (readline), so that it
 * works in any terminal and can be driven through a pipe. Terms page by page, then y/n; ID and
 * password; status lines; y/n for each consent request; r takes back what was granted; e ends.
 * Other text during a session is sent as a chat message.
 */
export class TerminalUi {
  private readonly rl: Interface;
  private prev: CustomerFlowState | undefined;
  private termsLines: string[] = [];
  private termsShown = 0;
  private readonly offState: () => void;
  private readonly offFiles: () => void;
  /** transfers already announced as ended, offers already asked */
  private readonly told = new Set<string>();

  constructor(private readonly opts: TerminalOptions) {
    this.rl = createInterface({ input: opts.input, terminal: false });
    this.rl.on('line', (line) => this.handleLine(line.trim()));
    // the terminal is gone (closed window, end of a pipe): nobody can answer prompts or end any more
    this.rl.on('close', () => {
      if (!this.closed) void opts.app.flow.end();
    });
    this.offState = opts.app.flow.on('state', (s) => this.render(s));
    this.offFiles = opts.app.files.on('files', (f) => this.renderFiles(f));
    this.print('title', { company: clean(opts.company) });
    this.render(opts.app.flow.state);
  }

  private closed = false;

  close(): void {
    this.closed = true;
    this.offState();
    this.offFiles();
    this.rl.close();
  }

  private render(s: CustomerFlowState): void {
    const p = this.prev;
    this.prev = s;
    const entered = p?.phase !== s.phase;
    if (entered) this.renderPhase(s, p?.phase);
    if (s.phase === 'waiting' || s.phase === 'pairing') {
      if (s.attemptsInRound > 0 && s.failures !== p?.failures) this.print('attempts', { n: s.attemptsInRound, max: MAX_FAILED_ATTEMPTS });
      if (s.password && p?.password !== s.password && !entered) this.credentials(s);
    }
    if (s.phase === 'active' && p) {
      if (s.reconnecting && !p.reconnecting) this.print('reconnecting');
      if (!s.reconnecting && p.reconnecting) this.print('reconnected');
      for (const what of s.consent.pending.filter((w) => !p.consent.pending.includes(w))) this.print(askKey(what, s.consent.recordingRequired === true), { company: clean(this.opts.company) });
      this.grantChange(p, s, 'control', 'controlOn', 'controlOff');
      this.grantChange(p, s, 'clipboard', 'clipboardOn', 'clipboardOff');
      this.grantChange(p, s, 'recording', 'recordingOn', 'recordingOff');
    }
    const seen = p?.chat.length ?? 0;
    for (const entry of s.chat.slice(seen)) if (entry.from === 'technician') this.print('chat', { text: clean(entry.text) });
  }

  private renderPhase(s: CustomerFlowState, from: CustomerFlowState['phase'] | undefined): void {
    const who = (t: CustomerFlowState['technician']) => (t ? clean(t.company ? `${t.displayName} (${t.company})` : t.displayName) : '?');
    const show = {
      loading: () => this.print('loading'),
      'load-failed': () => this.print('loadFailed'),
      terms: () => this.startTerms(s),
      registering: () => this.print('registering'),
      'register-failed': () => this.print(s.registerProblem === 'busy' ? 'registerBusy' : 'registerFailed'),
      waiting: () => (from === 'registering' ? this.credentials(s) : undefined),
      pairing: () => this.print('pairing', { who: who(s.technician) }),
      active: () => {
        this.print('active', { who: who(s.technician), sas: s.sas ?? '' });
        this.print('activeHelp');
      },
      ended: () => this.print('ended', { reason: s.endKey ?? '' }),
    } satisfies Record<CustomerFlowState['phase'], () => void>;
    show[s.phase]();
  }

  private startTerms(s: CustomerFlowState): void {
    const text = s.terms ? s.terms.text[this.opts.language] : '';
    const columns = (this.opts.output as { columns?: number }).columns ?? 80;
    this.termsLines = text.split(/\r?\n/).flatMap((line) => wrap(clean(line), columns));
    this.termsShown = 0;
    this.print('termsHeading', { company: clean(this.opts.company) });
    this.nextTermsPage();
  }

  private nextTermsPage(): void {
    const page = this.termsLines.slice(this.termsShown, this.termsShown + TERMS_PAGE_LINES);
    this.termsShown += page.length;
    this.write(page.join('\n'));
    this.print(this.termsShown < this.termsLines.length ? 'more' : 'accept');
  }

  private credentials(s: CustomerFlowState): void {
    this.print('credentials');
    if (s.id) this.print('id', { id: formatCustomerId(s.id) });
    if (s.password) this.print(s.rotated ? 'newPassword' : 'password', { password: s.password });
    this.print('scam');
  }

  private grantChange(p: CustomerFlowState, s: CustomerFlowState, what: GrantName, on: TextKey, off: TextKey): void {
    if (s.consent.granted[what] !== p.consent.granted[what]) this.print(s.consent.granted[what] ? on : off);
  }

  private handleLine(line: string): void {
    const flow = this.opts.app.flow;
    const s = flow.state;
    const answer = line.toLowerCase();
    if (answer === 'e') return void flow.end();
    switch (s.phase) {
      case 'terms':
        if (this.termsShown < this.termsLines.length && answer === '') return this.nextTermsPage();
        if (answer === 'n') return void flow.end();
        if (answer === 'y' && this.termsShown >= this.termsLines.length && s.terms) return void flow.acceptTerms(this.opts.language, s.terms.version);
        if (this.termsShown >= this.termsLines.length) this.print('accept');
        return;
      case 'load-failed':
        if (answer === 'r') void flow.loadTerms();
        return;
      case 'register-failed':
        if (answer === 'r' && s.terms) void flow.acceptTerms(this.opts.language, s.terms.version);
        return;
      case 'active':
        return this.activeLine(s, line, answer);
      default:
        return;
    }
  }

  private activeLine(s: CustomerFlowState, line: string, answer: string): void {
    const { flow, files } = this.opts.app;
    const asked = s.consent.pending[0];
    if (asked && (answer === 'y' || answer === 'n')) return flow.decide(asked, answer === 'y' ? 'allow' : 'refuse');
    const offer = files.view.offers[0];
    if (offer && (answer === 'y' || answer === 'n')) return answer === 'y' ? files.handleAccept(offer.transferId) : files.handleRefuse(offer.transferId);
    if (answer === 'r' && (s.consent.granted.control || s.consent.granted.clipboard || s.consent.granted.recording)) {
      for (const what of ['control', 'clipboard', 'recording'] as const) if (s.consent.granted[what]) flow.decide(what, 'revoke');
      return;
    }
    if (line !== '') flow.sendChat(line);
  }

  /** File offers (y/n, after any consent question), the technician's request, and how each incoming file ended. */
  private renderFiles(f: FilesView): void {
    for (const o of f.offers) {
      if (this.told.has(`offer:${o.transferId}`)) continue;
      this.told.add(`offer:${o.transferId}`);
      this.print('fileOffer', { name: clean(o.name), size: formatSize(o.size), folder: clean(f.folder) });
    }
    if (f.request !== undefined && !this.told.has(`request:${f.request}`)) {
      this.told.add(`request:${f.request}`);
      this.print('fileRequest', { message: clean(f.request) });
    }
    for (const t of f.transfers) {
      if (t.outgoing || t.state === 'refused' || this.told.has(`end:${t.transferId}`)) continue;
      if (t.state !== 'completed' && t.state !== 'cancelled' && t.state !== 'failed') continue;
      this.told.add(`end:${t.transferId}`);
      if (t.state === 'completed') this.print('fileSaved', { folder: clean(f.folder), name: clean(t.name) });
      else this.print('fileNotSaved', { name: clean(t.name), state: t.reason ?? t.state });
    }
  }

  private print(key: TextKey, values: Record<string, string | number> = {}): void {
    this.write(say(this.opts.language, key, values));
  }

  private write(text: string): void {
    this.opts.output.write(text + '\n');
  }
}

/** 1234567 -> "1.2 MB" (decimal units, as file managers show them) */
export function formatSize(bytes: number): string {
  const units = ['B', 'kB', 'MB', 'GB', 'TB'];
  let v = bytes;
  let u = 0;
  while (v >= 1000 && u < units.length - 1) {
    v /= 1000;
    u++;
  }
  return u === 0 ? `${v} B` : `${v.toFixed(1)} ${units[u]}`;
}

/** Breaks a line at spaces into rows of at most `columns` characters (a longer word gets its own row). */
export function wrap(line: string, columns: number): string[] {
  const rows: string[] = [];
  let row = '';
  for (const word of line.split(' ')) {
    if (row !== '' && row.length + 1 + word.length > columns) {
      rows.push(row);
      row = word;
    } else row = row === '' ? word : `${row} ${word}`;
  }
  rows.push(row);
  return rows;
}

function askKey(what: GrantName, recordingRequired: boolean): TextKey {
  const keys = { control: 'askControl', clipboard: 'askClipboard', recording: recordingRequired ? 'askRecordingRequired' : 'askRecording' } satisfies Record<GrantName, TextKey>;
  return keys[what];
}
