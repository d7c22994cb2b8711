// The catalogue runs anywhere: entries whose environments leave out "browser" are not registered in a page.
export type { CatalogueEntry, LoadedBackendPackage, WasmSettings } from './catalogue-entry.js';
export type { BackendConfigs, CatalogueTarget } from './backend-catalogue.js';
export {
  BACKEND_CATALOGUE,
  catalogueEntry,
  catalogueTargets,
  REFERENCE_TARGET,
  registerCatalogue,
  remoteEntry,
  THREAD_WORKER_BACKENDS,
  threadWorkerBackend,
  wasmConfigs,
  workerModuleOf,
} from './backend-catalogue.js';
