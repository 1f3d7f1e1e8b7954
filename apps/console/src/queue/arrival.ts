/**
 * The bell when a customer arrives: a short tone (Web Audio, no file to load under the CSP) and a
 * browser notification when the technician allowed them. Returns whether the tone could play.
 */
export function ring(title: string, body: string): 'played' | 'blocked' {
  notify(title, body);
  return beep();
}

function notify(title: string, body: string): void {
  if (typeof Notification === 'undefined' || Notification.permission !== 'granted') return;
  try {
    new Notification(title, { body, tag: 'fernhilfe-arrival' });
  } catch {
    // some browsers allow notifications only from a service worker: the banner is still there
  }
}

let audio: AudioContext | undefined;

function beep(): 'played' | 'blocked' {
  try {
    audio ??= new AudioContext();
    if (audio.state === 'suspended') void audio.resume();
    const osc = audio.createOscillator();
    const gain = audio.createGain();
    osc.frequency.value = 880;
    gain.gain.value = 0.15;
    osc.connect(gain).connect(audio.destination);
    osc.start();
    osc.stop(audio.currentTime + 0.25);
    return audio.state === 'running' ? 'played' : 'blocked';
  } catch {
    return 'blocked';
  }
}

/** Asks for notifications (must run in a click). */
export async function askForNotifications(): Promise<NotificationPermission | 'unsupported'> {
  if (typeof Notification === 'undefined') return 'unsupported';
  return Notification.permission === 'default' ? Notification.requestPermission() : Notification.permission;
}
