// Runs the steps of one admin use case in order. Each step has a name and, when a later failure
// must undo it, its own compensation. On a failure the runner undoes the completed steps in reverse
// order, tells the use case which step failed (its name, not a hand-kept variable), and rethrows the
// original error. A compensation that fails itself is logged and never hides that error.
//
// The runner is the one place where every use case starts and ends, so the hooks at those edges are
// fields of `StepPlan`: `before` (a destructive use case's audit intent, written before its first
// step) and `onFailure` (its result when it fails part-way).
import type { Logger } from '@aws-lambda-powertools/logger';

/** Runs one named step; `undo` receives what the step returned. */
export type Step = <T>(name: string, run: () => Promise<T>, undo?: (result: T) => Promise<unknown>) => Promise<T>;

export interface StepFailure {
  useCase: string;
  /** The step whose own work threw; null when the error came from between steps. */
  failedStep: string | null;
  /** Names of the steps that had finished, in order (their compensations have run). */
  completed: readonly string[];
  error: unknown;
}

export interface StepPlan {
  /** Names the use case in logs. */
  useCase: string;
  logger: Pick<Logger, 'error'>;
  /** Before the first step. Its failure ends the use case with nothing changed: no step runs, nothing is undone, `onFailure` is not called. */
  before?: () => Promise<void>;
  /** After the compensations; e.g. records what a failure part-way has already changed. Its own failure is logged. */
  onFailure?: (failure: StepFailure) => Promise<void>;
}

interface Completed {
  name: string;
  undo: (() => Promise<unknown>) | null;
}

export async function runSteps<T>(plan: StepPlan, body: (step: Step) => Promise<T>): Promise<T> {
  if (plan.before) await plan.before();
  const completed: Completed[] = [];
  let failed = null as { name: string; error: unknown } | null;
  const step: Step = async (name, run, undo) => {
    let result;
    try {
      result = await run();
    } catch (error) {
      failed = { name, error };
      throw error;
    }
    completed.push({ name, undo: undo ? () => undo(result) : null });
    return result;
  };

  try {
    return await body(step);
  } catch (error) {
    for (const done of [...completed].reverse()) {
      if (done.undo) await guarded(plan, 'compensation failed', done.name, done.undo);
    }
    const failure: StepFailure = {
      useCase: plan.useCase,
      failedStep: failed !== null && failed.error === error ? failed.name : null,
      completed: completed.map((c) => c.name),
      error,
    };
    const onFailure = plan.onFailure;
    if (onFailure) await guarded(plan, 'failure handling failed', failure.failedStep, () => onFailure(failure));
    throw error;
  }
}

/** Runs clean-up after a failure; its own failure is logged, never allowed to replace the original error. */
async function guarded(plan: StepPlan, message: string, step: string | null, work: () => Promise<unknown>): Promise<void> {
  try {
    await work();
  } catch (error) {
    plan.logger.error(message, { useCase: plan.useCase, step, error: error as Error });
  }
}
