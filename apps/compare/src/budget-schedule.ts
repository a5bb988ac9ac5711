import { type Schedule, cosineSchedule } from '@gated/trainer';
import type { BudgetSchedule } from './results.js';

/**
 * The `fit` options of a budget's learning-rate schedule: none for a constant rate, else the schedule over the
 * budget's own steps (the unit's, after equal-compute scaling). A warm-up as long as the run (tiny budgets) is cut
 * to half of it, so a `--steps` override on `gated train` never makes an invalid schedule.
 */
export function scheduleOptions(budget: { readonly steps: number; readonly schedule?: BudgetSchedule | undefined }): { schedule?: Schedule } {
  const spec = budget.schedule;
  if (spec === undefined) return {};
  const warmupSteps = Math.min(spec.warmupSteps, Math.floor(budget.steps / 2));
  return { schedule: cosineSchedule({ totalSteps: budget.steps, warmupSteps }) };
}
