/** The headless GNOME session of the Wayland tests lives in @fernhilfe/testkit (the benchmark uses it too). */
export { startMutter, type MutterDesktop } from '@fernhilfe/testkit';
