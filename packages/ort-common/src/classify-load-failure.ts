import type { PolyinferError, UnsupportedDtype, UnsupportedOp } from '@polyinfer/core';
import { ModelLoadError, onnxElementTypeName, UnsupportedDtypeError, UnsupportedOpError } from '@polyinfer/core';
import type { ModelSignature } from './model-signature.js';

// onnxruntime's words (native and web builds alike) for "no kernel for this node here" and "this op is unknown here".
const NO_KERNEL = /Could not find an implementation for (\S+)\((\d+)\) node with name '([^']*)'/;
const NO_OP = /No Op registered for (\S+) with domain_version of (\d+)/;
const UNREGISTERED = /(?:Fatal error: )?([\w.]*):(\w+)\((-?\d+)\) is not a registered function\/op/;
const UNKNOWN_DOMAIN = /No opset import for domain '([^']*)'|Unrecognized domain '?([^'\s]*)'?/;
// A model stamped with an opset newer than the build implements ("Current official support for domain ai.onnx is till opset 24").
const OPSET_TOO_NEW = /support for domain (\S+) is till opset (\d+)/;
// The JavaScript bindings' words for an element type they cannot carry (a number from onnx.proto, or a name).
const UNSUPPORTED_TYPE_NUMBER = /unsupported data type: (\d+)/i;

export interface LoadFailureContext {
  backend: string;
  label: string;
  /** The element types the binding carries, for the message. */
  dtypes: readonly string[];
  /** The model's signature, read when the message alone does not name the node or tensor (undefined: unreadable). */
  signature: () => Promise<ModelSignature | undefined>;
}

/**
 * One onnxruntime load failure as the error that says what failed: a node without a kernel or an op unknown here →
 * UNSUPPORTED_OP (op, domain, opset, node); an element type the binding cannot carry → UNSUPPORTED_DTYPE (which
 * inputs and outputs); anything else (a corrupt file, an invalid graph) → MODEL_LOAD_FAILED.
 */
export async function classifyOrtLoadFailure(
  message: string,
  cause: unknown,
  context: LoadFailureContext,
): Promise<PolyinferError> {
  const { backend, label } = context;
  const kernel = NO_KERNEL.exec(message);
  if (kernel) {
    const [, opType, since, nodeName] = kernel as unknown as [string, string, string, string];
    const node = (await context.signature())?.nodes.find((n) => n.name === nodeName);
    const op: UnsupportedOp = { opType, nodeName, domain: node?.domain ?? '', opset: Number(since) };
    return new UnsupportedOpError(backend, [op], cause);
  }
  const unknownOp = NO_OP.exec(message);
  if (unknownOp) {
    const [, opType, version] = unknownOp as unknown as [string, string, string];
    const signature = await context.signature();
    const nodes = signature?.nodes.filter((n) => n.opType === opType) ?? [];
    const ops: UnsupportedOp[] = (nodes.length > 0 ? nodes : [{ name: '', opType, domain: '' }]).map((n) => ({
      opType,
      nodeName: n.name,
      domain: n.domain,
      opset: Number(version),
    }));
    return new UnsupportedOpError(backend, ops, cause);
  }
  const unregistered = UNREGISTERED.exec(message);
  if (unregistered) {
    const [, opDomain, opType, version] = unregistered as unknown as [string, string, string, string];
    const signature = await context.signature();
    const nodes = signature?.nodes.filter((n) => n.opType === opType && n.domain === opDomain) ?? [];
    const opset = Number(version) >= 0 ? Number(version) : (signature?.opsets.get(opDomain) ?? 0);
    const ops = (nodes.length > 0 ? nodes : [{ name: '', opType, domain: opDomain }]).map((n) => ({
      opType,
      nodeName: n.name,
      domain: opDomain,
      opset,
    }));
    return new UnsupportedOpError(backend, ops, cause);
  }
  const tooNew = OPSET_TOO_NEW.exec(message);
  if (tooNew) {
    // The runtime has no kernels at the model's opset: every op type of that domain is unsupported in this form.
    const opDomain = tooNew[1] === 'ai.onnx' ? '' : (tooNew[1] as string);
    const signature = await context.signature();
    const opset = signature?.opsets.get(opDomain) ?? 0;
    const firstOfEach = new Map(
      (signature?.nodes ?? [])
        .filter((n) => n.domain === opDomain || (opDomain === '' && n.domain === 'ai.onnx'))
        .reverse()
        .map((n) => [n.opType, n]),
    );
    const ops = [...firstOfEach.values()].reverse().map((n) => ({
      opType: n.opType,
      nodeName: n.name,
      domain: n.domain,
      opset,
      attribute: 'opset',
      value: `${opset} (this build supports up to ${tooNew[2]})`,
    }));
    if (ops.length > 0) return new UnsupportedOpError(backend, ops, cause);
  }
  const domain = UNKNOWN_DOMAIN.exec(message);
  if (domain) {
    const name = domain[1] ?? domain[2] ?? '';
    const signature = await context.signature();
    const nodes = signature?.nodes.filter((n) => n.domain === name) ?? [];
    if (nodes.length > 0)
      return new UnsupportedOpError(
        backend,
        nodes.map((n) => ({
          opType: n.opType,
          nodeName: n.name,
          domain: n.domain,
          opset: signature?.opsets.get(name) ?? 0,
        })),
        cause,
      );
  }
  const type = UNSUPPORTED_TYPE_NUMBER.exec(message);
  if (type) {
    const elementType = Number(type[1]);
    const signature = await context.signature();
    const tensors: UnsupportedDtype[] = [
      ...(signature?.inputs ?? [])
        .filter((v) => v.elementType === elementType)
        .map((v) => ({ tensor: v.name, role: 'input' as const, dtype: onnxElementTypeName(elementType) })),
      ...(signature?.outputs ?? [])
        .filter((v) => v.elementType === elementType)
        .map((v) => ({ tensor: v.name, role: 'output' as const, dtype: onnxElementTypeName(elementType) })),
    ];
    if (tensors.length > 0) return new UnsupportedDtypeError(backend, tensors, context.dtypes, cause);
  }
  return new ModelLoadError(label, message, cause);
}
