/**
 * Where a build's time went, for `lbuild package --timings` (LBUILD_DEBUG=timings) and the report's
 * `timings`. Every stage of the pipeline is timed through one StageClock, so the table adds up: a
 * stage started while another is open is one of its steps, and whatever no stage covered is
 * reported as `otherMs` instead of disappearing. Profile with it before optimising anything.
 */

export interface TimedStage {
  name: string;
  ms: number;
  /** Stages that ran inside this one; their time is part of `ms`. */
  steps?: TimedStage[];
}

export interface Timings {
  /** From the start of the run to the report: the report's durationMs. */
  totalMs: number;
  /** Top-level stages in the order they ran; they do not overlap. */
  stages: TimedStage[];
  /** totalMs minus the top-level stages: work between stages (loading, bookkeeping). */
  otherMs: number;
}

interface OpenStage {
  name: string;
  ms: number;
  steps: OpenStage[];
}

export class StageClock {
  private readonly top: OpenStage[] = [];
  /** Stages started and not yet stopped, innermost last (the pipeline runs its stages in sequence). */
  private readonly open: OpenStage[] = [];

  constructor(readonly started: number = performance.now()) {}

  /** Start `name` inside the innermost open stage; the returned function stops it and returns its ms. */
  start(name: string): () => number {
    const stage = this.add(name, 0);
    this.open.push(stage);
    const begun = performance.now();
    let stopped = false;
    return () => {
      if (!stopped) {
        stopped = true;
        stage.ms = performance.now() - begun;
        const at = this.open.lastIndexOf(stage);
        if (at >= 0) this.open.splice(at, 1);
      }
      return stage.ms;
    };
  }

  async time<T>(name: string, work: () => Promise<T>): Promise<T> {
    const stop = this.start(name);
    try {
      return await work();
    } finally {
      stop();
    }
  }

  /** A step measured elsewhere (inside the build container's script), under the open stage. */
  record(name: string, ms: number): void {
    this.add(name, ms);
  }

  /** Every stage and step by name, in milliseconds: the report's flat `stages`. */
  flat(): Record<string, number> {
    const out: Record<string, number> = {};
    const visit = (stages: OpenStage[]) => {
      for (const stage of stages) {
        out[stage.name] = Math.round(stage.ms);
        visit(stage.steps);
      }
    };
    visit(this.top);
    return out;
  }

  summary(now: number = performance.now()): Timings {
    const totalMs = Math.round(now - this.started);
    const stages = this.top.map(rounded);
    const covered = this.top.reduce((sum, stage) => sum + stage.ms, 0);
    return { totalMs, stages, otherMs: Math.max(0, Math.round(now - this.started - covered)) };
  }

  private add(name: string, ms: number): OpenStage {
    const stage: OpenStage = { name, ms, steps: [] };
    (this.open.at(-1)?.steps ?? this.top).push(stage);
    return stage;
  }
}

function rounded(stage: OpenStage): TimedStage {
  return {
    name: stage.name,
    ms: Math.round(stage.ms),
    ...(stage.steps.length > 0 ? { steps: stage.steps.map(rounded) } : {}),
  };
}
