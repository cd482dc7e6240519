/**
 * The SDK's own complaints in a scenario's output (lines with ERROR or WARNING), normalised so
 * that runs on different ports, paths and times compare equal.
 */
export function sdkProblems(stderr: string): string[] {
  return [
    ...new Set(
      stderr
        .split('\n')
        .filter((l) => /^wandb: (ERROR|WARNING)\b/.test(l) || /Traceback|Exception in thread/.test(l))
        .map((l) =>
          l
            .replace(/127\.0\.0\.1:\d+/g, '<host>')
            .replace(/\/tmp\/[^\s'"]+/g, '<path>')
            .replace(/\d{8}_\d{6}/g, '<time>')
            .trim(),
        ),
    ),
  ].sort()
}
