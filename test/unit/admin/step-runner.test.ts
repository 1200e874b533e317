import { describe, expect, it, vi } from 'vitest';
import { runSteps, type StepFailure, type StepPlan } from '../../../lambdas/admin/step-runner.js';

/** A plan whose log and failure hook write into `events`, so the order of everything is visible. */
function plan(events: string[], over: Partial<StepPlan> = {}) {
  const logger = { error: vi.fn((message: string) => void events.push(`log: ${message}`)) };
  const failures: StepFailure[] = [];
  const onFailure = async (failure: StepFailure) => {
    failures.push(failure);
    events.push(`onFailure: ${failure.failedStep}`);
  };
  return { logger, failures, plan: { useCase: 'test case', logger, onFailure, ...over } satisfies StepPlan };
}

const boom = () => new Error('boom');

describe('runSteps', () => {
  it('runs the steps in order and returns what the body returns, undoing nothing', async () => {
    const events: string[] = [];
    const { failures, plan: p } = plan(events);
    const result = await runSteps(p, async (step) => {
      const a = await step('a', async () => (events.push('run a'), 1), async () => events.push('undo a'));
      const b = await step('b', async () => (events.push('run b'), a + 1));
      return b * 10;
    });
    expect(result).toBe(20);
    expect(events).toEqual(['run a', 'run b']);
    expect(failures).toEqual([]);
  });

  it('runs `before` ahead of the first step', async () => {
    const events: string[] = [];
    const { plan: p } = plan(events, { before: async () => void events.push('before') });
    await runSteps(p, async (step) => step('a', async () => events.push('run a')));
    expect(events).toEqual(['before', 'run a']);
  });

  it('stops before any step when `before` fails: nothing undone, no failure hook, the same error', async () => {
    const events: string[] = [];
    const error = boom();
    const { failures, plan: p } = plan(events, {
      before: async () => {
        throw error;
      },
    });
    const body = vi.fn(async () => 'never');
    await expect(runSteps(p, body)).rejects.toBe(error);
    expect(body).not.toHaveBeenCalled();
    expect(failures).toEqual([]);
    expect(events).toEqual([]);
  });

  it('on a failure, undoes the finished steps in reverse order with their results, then rethrows the same error', async () => {
    const events: string[] = [];
    const { failures, plan: p } = plan(events);
    const error = boom();
    const run = runSteps(p, async (step) => {
      const record = await step('create record', async () => ({ etag: 'v1' }), async (r) => events.push(`undo record ${r.etag}`));
      await step('no undo', async () => events.push('run no undo'));
      const login = await step('create login', async () => ({ username: 'bob' }), async (l) => events.push(`undo login ${l.username}`));
      await step('record login', async () => {
        throw error;
      }, async () => events.push('undo record login'));
      await step('never', async () => events.push('run never'));
      return { record, login };
    });
    await expect(run).rejects.toBe(error);
    expect(events).toEqual(['run no undo', 'undo login bob', 'undo record v1', 'onFailure: record login']);
    expect(failures).toEqual([{ useCase: 'test case', failedStep: 'record login', completed: ['create record', 'no undo', 'create login'], error }]);
  });

  it('a failure of the first step undoes nothing and names that step', async () => {
    const events: string[] = [];
    const { failures, plan: p } = plan(events);
    const run = runSteps(p, async (step) => {
      await step('first', async () => {
        throw boom();
      }, async () => events.push('undo first'));
    });
    await expect(run).rejects.toThrow('boom');
    expect(events).toEqual(['onFailure: first']);
    expect(failures[0]).toMatchObject({ failedStep: 'first', completed: [] });
  });

  it('logs a compensation that fails, runs the remaining ones, and still rethrows the original error', async () => {
    const events: string[] = [];
    const { logger, plan: p } = plan(events);
    const original = boom();
    const undoError = new Error('undo failed');
    const run = runSteps(p, async (step) => {
      await step('a', async () => 'a', async () => events.push('undo a'));
      await step('b', async () => 'b', async () => {
        throw undoError;
      });
      await step('c', async () => {
        throw original;
      });
    });
    await expect(run).rejects.toBe(original);
    expect(events).toEqual(['log: compensation failed', 'undo a', 'onFailure: c']);
    expect(logger.error).toHaveBeenCalledWith('compensation failed', { useCase: 'test case', step: 'b', error: undoError });
  });

  it('logs a failure hook that fails and still rethrows the original error', async () => {
    const events: string[] = [];
    const hookError = new Error('audit down');
    const { logger, plan: p } = plan(events, {
      onFailure: async () => {
        throw hookError;
      },
    });
    const original = boom();
    await expect(
      runSteps(p, async (step) => {
        await step('only', async () => {
          throw original;
        });
      }),
    ).rejects.toBe(original);
    expect(logger.error).toHaveBeenCalledWith('failure handling failed', { useCase: 'test case', step: 'only', error: hookError });
  });

  it('names no step when the error comes from between steps, and still undoes the finished ones', async () => {
    const events: string[] = [];
    const { failures, plan: p } = plan(events);
    const run = runSteps(p, async (step) => {
      await step('a', async () => 'a', async () => events.push('undo a'));
      throw boom();
    });
    await expect(run).rejects.toThrow('boom');
    expect(events).toEqual(['undo a', 'onFailure: null']);
    expect(failures[0]).toMatchObject({ failedStep: null, completed: ['a'] });
  });

  it('does not blame a step whose failure the body handled', async () => {
    const events: string[] = [];
    const { failures, plan: p } = plan(events);
    const run = runSteps(p, async (step) => {
      await step('tolerated', async () => {
        throw new Error('expected');
      }).catch(() => events.push('handled'));
      throw boom();
    });
    await expect(run).rejects.toThrow('boom');
    expect(failures[0]).toMatchObject({ failedStep: null, completed: [] });
  });

  it('works without a failure hook', async () => {
    const { plan: p } = plan([], { onFailure: undefined });
    await expect(runSteps(p, async (step) => step('x', async () => Promise.reject(boom())))).rejects.toThrow('boom');
  });
});
