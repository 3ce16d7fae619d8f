/** A wheel's tags (WHEEL metadata) against the runtime's Python, glibc and architecture. */
import { compareVersions } from './glibc-versions.js';
import { runtimeLabel, type Finding, type Target } from './finding.js';
import { parsePlatform, tagProblems, wheelCpu, type WheelFile } from './wheel-tags.js';

export function judgeWheel(file: string, wheel: WheelFile, target: Target): Finding[] {
  if (wheel.tags.length === 0) return [];
  const { runtime, architecture } = target;
  const judged = wheel.tags.map((tag) => ({
    tag,
    problems: tagProblems(tag, runtime, architecture),
  }));
  if (judged.some((j) => j.problems.length === 0)) return [];
  const best = judged.reduce((a, b) => (b.problems.length < a.problems.length ? b : a));
  const label = `wheel ${wheel.name}${wheel.version ? ` ${wheel.version}` : ''} (${best.tag.tag})`;
  const cpu = wheelCpu(architecture);
  return best.problems.map((problem): Finding => {
    switch (problem.kind) {
      case 'wheel-glibc-too-new':
        return {
          file,
          kind: problem.kind,
          message: `${label} needs glibc ${problem.needs}, ${runtimeLabel(runtime)} has ${problem.has}`,
          fix: `Pin a release of ${wheel.name} that ships a manylinux2014 wheel, or install with pip install --platform manylinux2014_${cpu} --only-binary=:all: --python-version ${runtime.version}${
            runtime.os === 'Amazon Linux 2' && compareVersions(problem.needs, '2.34') <= 0
              ? '; or move to python3.12 or later (Amazon Linux 2023, glibc 2.34)'
              : ''
          }.`,
        };
      case 'wheel-wrong-architecture':
        return {
          file,
          kind: problem.kind,
          message: `${label} is for ${problem.cpu}, the function is ${architecture}`,
          fix: `Build for the function's architecture: \`lbuild package --arch ${architecture}\`, or pip install --platform manylinux2014_${cpu} --only-binary=:all:.`,
        };
      case 'wheel-wrong-platform': {
        const platform = parsePlatform(best.tag.platform).kind;
        const where =
          platform === 'macos'
            ? 'macOS: installed on a Mac'
            : platform === 'windows'
              ? 'Windows: installed on Windows'
              : platform === 'musllinux'
                ? 'musl libc (Alpine)'
                : `platform ${best.tag.platform}`;
        return {
          file,
          kind: problem.kind,
          message: `${label} is for ${where}; Lambda runs glibc Linux`,
          fix: `Run \`lbuild package\` to install dependencies in a Linux container, or pip install --platform manylinux2014_${cpu} --only-binary=:all:.`,
        };
      }
      case 'wheel-wrong-python':
        return {
          file,
          kind: problem.kind,
          message: `${label} is for ${problem.python.replace(/^cp(\d)(\d+)$/, 'CPython $1.$2')}, the runtime is ${runtime.name}`,
          fix: `Install with the runtime's Python (\`lbuild package\` does), or pip install --python-version ${runtime.version} --only-binary=:all:.`,
        };
    }
  });
}
