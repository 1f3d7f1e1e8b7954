import { findProgram, missingPackages, PROGRAMS, type ProgramName } from '@fernhilfe/programs';
import { describe, expect, it } from 'vitest';

/**
 * `npm test` installs the Debian package of every listed program that is missing, before any test
 * runs. This checks it did: a program on the list that nothing installs shows up here by name,
 * not as an ENOENT somewhere in the middle of the suite.
 */
describe('the test command installed every listed program', () => {
  it('nothing on the list is missing', () => {
    const names = Object.keys(PROGRAMS) as ProgramName[];
    const absent = names.filter((name) => PROGRAMS[name].install !== false && !findProgram(name));
    expect(absent).toEqual([]);
    expect(missingPackages()).toEqual([]);
  });
});
