import { readFileSync } from 'node:fs';
import path from 'node:path';
import { BaseSequencer, type TestSpecification } from 'vitest/node';

/**
 * Starts the longest test files first inside each group (docs/testing.md), so that no long file
 * starts last and leaves the other workers idle at the end of its group. The durations come from
 * vitest's own results cache of earlier runs on this machine, else from tests/support/durations.json
 * (a measured run, committed, so that a clean clone in CI has them too); a file found in neither
 * counts as short. Groups keep their order (sequence.groupOrder).
 */
const DURATIONS = JSON.parse(readFileSync(new URL('./durations.json', import.meta.url), 'utf8')) as Record<string, number>;

export default class LongestFirst extends BaseSequencer {
  override sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const root = this.ctx.config.root;
    const duration = (spec: TestSpecification): number => {
      const rel = path.relative(root, spec.moduleId).split(path.sep).join('/');
      const cached = this.ctx.cache.getFileTestResults(`${spec.project.name}:${rel}`);
      return cached?.duration ?? DURATIONS[rel] ?? 0;
    };
    const order = (spec: TestSpecification) => spec.project.config.sequence.groupOrder;
    return Promise.resolve([...files].sort((a, b) => order(a) - order(b) || duration(b) - duration(a)));
  }
}
