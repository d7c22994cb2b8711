/**
 * A one-line progress bar for a terminal: redrawn in place with a carriage return, cleared when done. Off a terminal
 * (a pipe, a log file) it writes nothing: the results are the output there.
 */
export function progressLine(
  write: (text: string) => void,
  isTerminal: boolean,
  label: string,
): { update(done: number, total: number): void; end(): void } {
  const started = performance.now();
  let drawn = false;
  return {
    update(done, total) {
      if (!isTerminal) return;
      const width = 24;
      const filled = Math.round((done / total) * width);
      const seconds = (performance.now() - started) / 1000;
      const rate = seconds > 0 ? done / seconds : 0;
      write(
        `\r${label} [${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${done}/${total} ${rate.toFixed(1)} images/s `,
      );
      drawn = true;
    },
    end() {
      if (drawn) write('\r\x1b[2K');
    },
  };
}
