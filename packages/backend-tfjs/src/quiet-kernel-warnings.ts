const REREGISTERED = /^The kernel '[^']+' for backend '[^']+' is already registered$/;

/**
 * Runs `load` with tfjs-core's "kernel … is already registered" warnings held back. Loading a second native binding
 * (tfjs-node-gpu after tfjs-node, or a binding whose addon then fails to load) registers the same ~150 kernels again,
 * and tfjs-core prints a line for each: noise on a user's terminal, when the device's reason already says what
 * happened. Every other warning passes through.
 */
export async function withoutKernelReregistrationWarnings<T>(load: () => Promise<T>): Promise<T> {
  const warn = console.warn;
  console.warn = (...args: unknown[]) => {
    if (args.length === 1 && typeof args[0] === 'string' && REREGISTERED.test(args[0])) return;
    warn(...args);
  };
  try {
    return await load();
  } finally {
    console.warn = warn;
  }
}
