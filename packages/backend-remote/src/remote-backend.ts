import type {
  BackendCapabilities,
  BackendOptionType,
  DeviceInfo,
  DeviceStatus,
  OpenRequest,
  Platform,
  TensorInfo,
} from '@polyinfer/core';
import {
  BaseBackend,
  checkBackendOptionValues,
  DeviceUnavailableError,
  isPolyinferError,
  ModelLoadError,
  reasonOf,
} from '@polyinfer/core';
import { currentPlatform } from '@polyinfer/core/platform';
import type { V2Client, V2ClientOptions } from './v2-client.js';
import type { GrpcV2Client as GrpcClient } from './grpc-v2-client.js';
import { HttpV2Client } from './http-v2-client.js';
import type { V2TensorMetadata } from '@polyinfer/v2-protocol';
import { fromV2Datatype, V2_DTYPES } from '@polyinfer/v2-protocol';
import { RemoteSession } from './remote-session.js';

type GrpcClientModule = { GrpcV2Client: typeof GrpcClient };

export const REMOTE_BACKEND = 'remote';
/** Chosen only when named: a remote server is a deployment decision, never a silent default. */
export const REMOTE_PRIORITY = -100;

export const REMOTE_DEVICES: readonly DeviceInfo[] = [
  {
    name: 'http',
    description: 'an Open Inference Protocol (KServe v2) server over REST, binary tensor data by default',
    environments: ['node', 'browser'],
  },
  {
    name: 'grpc',
    description: 'an Open Inference Protocol (KServe v2) server over gRPC (@grpc/grpc-js)',
    environments: ['node'],
  },
];

/** The keys a session's `backendOptions` may carry. */
export interface RemoteSessionOptions {
  /** The server: http(s)://host:port for `http`, host:port for `grpc` (default: the backend's). */
  url?: string;
  /** The model's name on the server (default: the model source, see RemoteBackend). */
  model?: string;
  version?: string;
}

declare module '@polyinfer/core' {
  interface BackendOptionsByName {
    remote?: RemoteSessionOptions;
  }
}

/** What each backend option takes (declared in the capabilities). */
export const REMOTE_BACKEND_OPTION_TYPES = {
  url: 'string',
  model: 'string',
  version: 'string',
} as const satisfies Record<keyof RemoteSessionOptions, BackendOptionType>;

/** Throws INVALID_CONFIG naming the option when a value is not what it takes. */
export const validateRemoteBackendOptions = (options: Record<string, unknown>): void =>
  checkBackendOptionValues('remote', options, REMOTE_BACKEND_OPTION_TYPES);

export interface RemoteBackendConfig extends V2ClientOptions {
  /** REST endpoint, e.g. http://127.0.0.1:8000. */
  url?: string;
  /** gRPC endpoint, e.g. 127.0.0.1:8001. */
  grpcUrl?: string;
  /** For tests: another platform than the running one. */
  platform?: Platform;
}

const MODEL_URL = /^https?:\/\/[^/]+(?:\/.*)?\/v2\/models\/([^/]+)(?:\/versions\/([^/]+))?\/?$/i;

function tensorInfo(meta: V2TensorMetadata): TensorInfo {
  return { name: meta.name, dtype: fromV2Datatype(meta.datatype), dims: meta.shape.map((d) => (d < 0 ? -1 : d)) };
}

/**
 * Any Open Inference Protocol (KServe v2) server — Triton, KServe, MLServer, `polyinfer serve` — as a backend. The
 * device is the protocol. The model is named by, in order: `backendOptions.model`; a model URL given as the source
 * (`http://host:8000/v2/models/NAME[/versions/V]`); `modelName`; the source's file name without `.onnx`.
 */
export class RemoteBackend extends BaseBackend {
  readonly name = REMOTE_BACKEND;
  readonly devices = REMOTE_DEVICES;
  readonly defaultDevices: readonly string[] = ['http'];
  // Threads, graph optimisation and placement are the server's own configuration.
  readonly capabilities: BackendCapabilities = {
    options: [],
    backendOptions: ['url', 'model', 'version'],
    runPolicy: 'concurrent',
    dtypes: V2_DTYPES,
    opensModelsByName: true,
    backendOptionTypes: REMOTE_BACKEND_OPTION_TYPES,
  };
  protected override readonly modelAccess = 'reference';

  constructor(private readonly config: RemoteBackendConfig = {}) {
    super(config.platform ?? currentPlatform);
  }

  /** Whether the configured server of a protocol is live (no model involved). */
  protected override async probeDevice(device: string): Promise<DeviceStatus> {
    const url = this.#defaultUrl(device);
    if (url === undefined) return { available: false, reason: this.#noUrl(device) };
    const client = await this.#client(device, url);
    try {
      return (await client.serverLive())
        ? { available: true }
        : { available: false, reason: `${client.server} says it is not live` };
    } catch (error) {
      // The reason names the server: "ECONNREFUSED" alone does not say which of several targets is down.
      const reason = reasonOf(error);
      return { available: false, reason: reason.includes(client.server) ? reason : `${client.server}: ${reason}` };
    } finally {
      client.close();
    }
  }

  protected async openSession({ model, options, identity }: OpenRequest): Promise<RemoteSession> {
    const own = (options.backendOptions ?? {}) as RemoteSessionOptions;
    const { device } = identity;
    const reference = model.kind === 'reference' ? model.reference : undefined;
    const fromUrl = reference === undefined ? null : MODEL_URL.exec(reference);
    const url =
      own.url ??
      (fromUrl && reference && device === 'http'
        ? reference.slice(0, reference.search(/\/v2\/models\//i))
        : this.#defaultUrl(device));
    if (url === undefined) throw new DeviceUnavailableError(this.name, device, this.#noUrl(device));
    const name =
      own.model ?? fromUrl?.[1] ?? options.modelName ?? (reference === undefined ? undefined : baseName(reference));
    if (name === undefined)
      throw new ModelLoadError(
        model.label,
        'the remote backend runs models the server has: name one (backendOptions.model), not bytes',
      );
    const version = own.version ?? fromUrl?.[2];
    const client = await this.#client(device, url);
    try {
      const metadata = await client.modelMetadata(name, version);
      const session = new RemoteSession(
        identity,
        client,
        version ? { name, version } : { name },
        metadata.inputs.map(tensorInfo),
        metadata.outputs.map(tensorInfo),
        { ownsClient: true },
      );
      return session;
    } catch (error) {
      client.close();
      // An unreachable server is a device that is not there: the registry can fall back to a local one.
      if (isPolyinferError(error, 'REMOTE_UNAVAILABLE') || isPolyinferError(error, 'REMOTE_TIMEOUT'))
        throw new DeviceUnavailableError(this.name, device, (error as Error).message, error);
      if (
        isPolyinferError(error, 'REMOTE_REJECTED') ||
        isPolyinferError(error, 'REMOTE_PROTOCOL') ||
        isPolyinferError(error, 'V2_PROTOCOL')
      )
        throw new ModelLoadError(`${name} on ${client.server}`, reasonOf(error), error);
      throw error;
    }
  }

  #defaultUrl(device: string): string | undefined {
    return device === 'grpc' ? this.config.grpcUrl : this.config.url;
  }

  #noUrl(device: string): string {
    return device === 'grpc'
      ? 'no gRPC server configured (grpcUrl, or backendOptions.url)'
      : 'no REST server configured (url, or backendOptions.url)';
  }

  /** A client per session: each closes its own channel on dispose. gRPC is loaded only when asked for. */
  async #client(device: string, url: string): Promise<V2Client> {
    const { url: _url, grpcUrl: _grpc, platform: _platform, ...wire } = this.config;
    if (device === 'grpc') {
      // Through a variable: gRPC is Node-only (@grpc/grpc-js), and a page's bundler must not try to follow it.
      const grpcClient = './grpc-v2-client.js';
      const { GrpcV2Client } = (await import(/* @vite-ignore */ grpcClient)) as GrpcClientModule;
      return new GrpcV2Client(url, wire);
    }
    return new HttpV2Client(url, wire);
  }
}

function baseName(reference: string): string {
  return (reference.split(/[\\/]/).pop() ?? reference).replace(/\.onnx$/i, '');
}

export async function loadRemoteBackend(config: RemoteBackendConfig = {}): Promise<RemoteBackend> {
  return new RemoteBackend(config);
}
