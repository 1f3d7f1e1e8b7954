import { writeFileSync } from 'node:fs';
import { notepadText } from './notepad.js';

/** Entry for a one-shot Windows process: writes Notepad's text as JSON to the file argv[2] (stdout is no pipe under wine). */
writeFileSync(process.argv[2]!, JSON.stringify({ text: notepadText() }));
