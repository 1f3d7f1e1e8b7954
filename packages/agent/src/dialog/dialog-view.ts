import { MAX_FAILED_ATTEMPTS, formatCustomerId, type CustomerFlowState, type GrantName } from '@fernhilfe/protocol';
import { clean } from '../tui/terminal-ui.js';
import { say } from '../tui/texts.js';
import { sayDialog, type DialogTextKey } from './texts.js';

/** What a click does: one of the flow's actions. */
export type DialogAction =
  | { kind: 'accept-terms' }
  | { kind: 'retry-terms' }
  | { kind: 'retry-register' }
  | { kind: 'end' }
  | { kind: 'decide'; what: GrantName; decision: 'allow' | 'refuse' | 'revoke' };

export interface DialogView {
  text: string;
  buttons: Array<{ label: string; action: DialogAction }>;
}

const END: DialogAction = { kind: 'end' };

/**
 * The whole dialog for one state of the customer's journey: the text (terms; ID and password with
 * what is happening; the question the technician asks) and its buttons (Accept, Allow / Refuse,
 * Take back control, End session). Pure: the same state always gives the same dialog.
 */
export function dialogView(s: CustomerFlowState, language: 'de' | 'en', company: string): DialogView {
  const t = (key: DialogTextKey) => sayDialog(language, key);
  const button = (key: DialogTextKey, action: DialogAction) => ({ label: t(key), action });
  const who = s.technician ? clean(s.technician.company ? `${s.technician.displayName} (${s.technician.company})` : s.technician.displayName) : '?';
  const credentials = () =>
    [
      say(language, 'credentials'),
      s.id ? say(language, 'id', { id: formatCustomerId(s.id) }).trim() : '',
      s.password ? say(language, s.rotated ? 'newPassword' : 'password', { password: s.password }).trim() : '',
      '',
      ...(s.attemptsInRound > 0 ? [say(language, 'attempts', { n: s.attemptsInRound, max: MAX_FAILED_ATTEMPTS })] : []),
    ].join('\n');
  switch (s.phase) {
    case 'loading':
      return { text: say(language, 'loading'), buttons: [button('quit', END)] };
    case 'load-failed':
      return { text: say(language, 'loadFailed').replace(/\s*\[.*$/, ''), buttons: [button('retry', { kind: 'retry-terms' }), button('quit', END)] };
    case 'terms':
      return {
        text: `${sayDialog(language, 'termsHeading', { company: clean(company) })}\n\n${clean(s.terms?.text[language] ?? '')}`,
        buttons: s.terms ? [button('accept', { kind: 'accept-terms' }), button('decline', END)] : [button('decline', END)],
      };
    case 'registering':
      return { text: say(language, 'registering'), buttons: [button('quit', END)] };
    case 'register-failed':
      return { text: say(language, s.registerProblem === 'busy' ? 'registerBusy' : 'registerFailed').replace(/\s*\[.*$/, ''), buttons: [button('retry', { kind: 'retry-register' }), button('quit', END)] };
    case 'waiting':
      return { text: `${credentials()}\n${t('waiting')}`, buttons: [button('end', END)] };
    case 'pairing':
      return { text: `${credentials()}\n${say(language, 'pairing', { who })}`, buttons: [button('end', END)] };
    case 'active':
      return activeView(s, language, who);
    case 'ended':
      return { text: t('ended'), buttons: [] };
  }
}

function activeView(s: CustomerFlowState, language: 'de' | 'en', who: string): DialogView {
  const t = (key: DialogTextKey) => sayDialog(language, key);
  const lines = [say(language, 'active', { who, sas: s.sas ?? '' })];
  if (s.reconnecting) lines.push(say(language, 'reconnecting'));
  const asked = s.consent.pending[0];
  if (asked) {
    lines.push('', t(askKey(asked, s.consent.recordingRequired === true)));
    return {
      text: lines.join('\n'),
      buttons: [
        { label: t('allow'), action: { kind: 'decide', what: asked, decision: 'allow' } },
        { label: t('refuse'), action: { kind: 'decide', what: asked, decision: 'refuse' } },
        { label: t('end'), action: END },
      ],
    };
  }
  const buttons: DialogView['buttons'] = [];
  if (s.consent.granted.control) {
    lines.push('', t('controlOn'));
    buttons.push({ label: t('takeBack'), action: { kind: 'decide', what: 'control', decision: 'revoke' } });
  }
  if (s.consent.granted.clipboard) {
    lines.push(t('clipboardOn'));
    buttons.push({ label: t('stopClipboard'), action: { kind: 'decide', what: 'clipboard', decision: 'revoke' } });
  }
  if (s.consent.granted.recording) {
    lines.push(t('recordingOn'));
    buttons.push({ label: t('stopRecording'), action: { kind: 'decide', what: 'recording', decision: 'revoke' } });
  }
  return { text: lines.join('\n'), buttons: [...buttons, { label: t('end'), action: END }] };
}

function askKey(what: GrantName, recordingRequired: boolean): DialogTextKey {
  const keys = { control: 'askControl', clipboard: 'askClipboard', recording: recordingRequired ? 'askRecordingRequired' : 'askRecording' } satisfies Record<GrantName, DialogTextKey>;
  return keys[what];
}
