import { describe, expect, it } from 'vitest';
import { FileFeature } from '../files/feature.js';
import { AgentFiles } from './agent-files.js';
import type { Log } from './log.js';

describe("a throwing listener of the agent's emitters", () => {
  it('is an error line in the agent log, and the faces still get the new view', () => {
    const errors: Array<{ obj: object; msg: string }> = [];
    const log: Log = { info: () => undefined, warn: () => undefined, error: (obj, msg) => void errors.push({ obj, msg }) };
    const files = new AgentFiles(log);
    const bug = new TypeError('a face broke');
    files.on('files', () => {
      throw bug;
    });
    const folders: string[] = [];
    files.on('files', (view) => folders.push(view.folder));

    files.attach(new FileFeature({ folder: '/home/customer/Downloads' }), undefined);

    expect(folders).toEqual(['/home/customer/Downloads']);
    expect(errors).toEqual([{ obj: { err: bug, event: 'files' }, msg: 'a listener for "files" threw' }]);
  });
});
