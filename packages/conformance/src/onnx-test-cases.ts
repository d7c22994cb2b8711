import { existsSync, readdirSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';

/** One case of ONNX's backend test data: a model and its data sets of serialised input and output tensors. */
export interface OnnxTestCase {
  /** "suite/name", e.g. "node/test_abs". */
  id: string;
  /** The data set it belongs to: node, pytorch-converted, pytorch-operator, simple (or the folder's name). */
  suite: string;
  name: string;
  modelPath: string;
  /** Each test_data_set_N folder, in order. */
  dataSets: string[];
}

/** Debian's libonnx-testdata (ONNX 1.12's backend test data): the default data when present. */
export const DEBIAN_TEST_DATA = '/usr/share/libonnx-testdata/data';

const isDir = (path: string): boolean => existsSync(path) && statSync(path).isDirectory();

function caseAt(suite: string, dir: string): OnnxTestCase | undefined {
  const modelPath = join(dir, 'model.onnx');
  if (!existsSync(modelPath)) return undefined;
  const dataSets = readdirSync(dir)
    .filter((f) => /^test_data_set_\d+$/.test(f) && isDir(join(dir, f)))
    .sort((a, b) => Number(a.slice(14)) - Number(b.slice(14)))
    .map((f) => join(dir, f));
  // Cases without local data (the "real" set only lists download addresses) cannot be run offline.
  if (dataSets.length === 0) return undefined;
  const name = basename(dir);
  return { id: `${suite}/${name}`, suite, name, modelPath, dataSets };
}

function casesOfSuite(suite: string, dir: string): OnnxTestCase[] {
  return readdirSync(dir)
    .filter((f) => f.startsWith('test_'))
    .sort()
    .flatMap((f) => caseAt(suite, join(dir, f)) ?? []);
}

/**
 * The cases under a folder: either one data set (a folder of test_* cases, named after the folder) or a folder of
 * data sets (Debian's layout: node/, pytorch-converted/, pytorch-operator/, simple/). `filter` matches case ids.
 */
export function findTestCases(dataDir: string, filter?: RegExp): OnnxTestCase[] {
  if (!isDir(dataDir)) throw new Error(`no ONNX backend test data at ${dataDir}`);
  const entries = readdirSync(dataDir).sort();
  const own = entries.some((f) => f.startsWith('test_') && existsSync(join(dataDir, f, 'model.onnx')));
  const cases = own
    ? casesOfSuite(basename(dataDir), dataDir)
    : entries.filter((f) => isDir(join(dataDir, f))).flatMap((suite) => casesOfSuite(suite, join(dataDir, suite)));
  return filter ? cases.filter((c) => filter.test(c.id)) : cases;
}
