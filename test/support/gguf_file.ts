/**
 * GGUF v3 encoding and decoding, just enough to write test models and to read
 * a vocab-only GGUF's metadata. No dependencies.
 *
 * Layout: magic `GGUF`, u32 version, u64 tensor count, u64 KV count; the KV
 * pairs; the tensor infos (name, dims in ggml order, type, data offset); then
 * the tensor data, each tensor starting on a 32-byte boundary. Little-endian.
 *
 * @module
 */

/** Data alignment of the tensor section (GGUF's default; we never set `general.alignment`). */
export const GGUF_ALIGNMENT = 32;

/** The ggml tensor types this writer lays out. */
export const GgmlType = { F32: 0, F16: 1, Q4_0: 2, Q8_0: 8 } as const;
/** One of the {@link GgmlType} ids. */
export type GgmlType = typeof GgmlType[keyof typeof GgmlType];

/** GGUF metadata value type ids. */
const V = {
  u8: 0,
  i8: 1,
  u16: 2,
  i16: 3,
  u32: 4,
  i32: 5,
  f32: 6,
  bool: 7,
  str: 8,
  arr: 9,
  u64: 10,
  i64: 11,
  f64: 12,
} as const;

/** Byte width of the fixed-size metadata value types (strings and arrays excluded). */
const WIDTH: Record<number, number> = {
  0: 1,
  1: 1,
  2: 2,
  3: 2,
  4: 4,
  5: 4,
  6: 4,
  7: 1,
  10: 8,
  11: 8,
  12: 8,
};

/** One encoded metadata pair: its key and its full bytes (key, type and value). */
export interface GgufKv {
  key: string;
  bytes: Uint8Array;
}

/** A decoded metadata value (64-bit integers become numbers; test files stay far below 2^53). */
export type GgufValue = number | boolean | string | GgufValue[];

/** A metadata pair read from a file: its bytes (copyable as is) and its decoded value. */
export interface GgufKvRead extends GgufKv {
  value: GgufValue;
}

/** A tensor to write: `fill` writes its data into a zeroed buffer of exactly its size. */
export interface GgufTensor {
  name: string;
  /** ggml order: `[ne0, ne1]`, ne0 being the contiguous (row) dimension. */
  dims: number[];
  type: GgmlType;
  fill?: (out: Uint8Array) => void;
}

const encoder = new TextEncoder();
const decoder = new TextDecoder();

function concat(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

function u32(n: number): Uint8Array {
  const b = new Uint8Array(4);
  new DataView(b.buffer).setUint32(0, n, true);
  return b;
}

function u64(n: number): Uint8Array {
  const b = new Uint8Array(8);
  new DataView(b.buffer).setBigUint64(0, BigInt(n), true);
  return b;
}

function gstr(s: string): Uint8Array {
  const b = encoder.encode(s);
  return concat([u64(b.length), b]);
}

function kv(key: string, type: number, value: Uint8Array): GgufKv {
  return { key, bytes: concat([gstr(key), u32(type), value]) };
}

function numbers(type: number, values: ArrayLike<number>): Uint8Array {
  const width = WIDTH[type];
  const b = new Uint8Array(values.length * width);
  const view = new DataView(b.buffer);
  for (let i = 0; i < values.length; i++) {
    if (type === V.f32) view.setFloat32(i * width, values[i], true);
    else if (type === V.i32) view.setInt32(i * width, values[i], true);
    else view.setUint32(i * width, values[i], true);
  }
  return b;
}

/** Metadata pair constructors, one per value type the models use. */
export const kvOf = {
  u32: (key: string, n: number): GgufKv => kv(key, V.u32, u32(n)),
  f32: (key: string, x: number): GgufKv => kv(key, V.f32, numbers(V.f32, [x])),
  bool: (key: string, b: boolean): GgufKv => kv(key, V.bool, new Uint8Array([b ? 1 : 0])),
  str: (key: string, s: string): GgufKv => kv(key, V.str, gstr(s)),
  strs: (key: string, list: readonly string[]): GgufKv =>
    kv(key, V.arr, concat([u32(V.str), u64(list.length), ...list.map(gstr)])),
  i32s: (key: string, list: ArrayLike<number>): GgufKv =>
    kv(key, V.arr, concat([u32(V.i32), u64(list.length), numbers(V.i32, list)])),
  f32s: (key: string, list: ArrayLike<number>): GgufKv =>
    kv(key, V.arr, concat([u32(V.f32), u64(list.length), numbers(V.f32, list)])),
};

/** Bytes of a tensor's data (unpadded). Quantized types need `dims[0] % 32 == 0`. */
export function tensorBytes(dims: readonly number[], type: GgmlType): number {
  const n = dims.reduce((a, b) => a * b, 1);
  switch (type) {
    case GgmlType.F32:
      return n * 4;
    case GgmlType.F16:
      return n * 2;
    case GgmlType.Q4_0:
    case GgmlType.Q8_0:
      if (dims[0] % 32 !== 0) throw new Error(`gguf: ne0 ${dims[0]} is not a multiple of 32`);
      return (n / 32) * (type === GgmlType.Q8_0 ? 34 : 18);
  }
}

const pad = (n: number) => Math.ceil(n / GGUF_ALIGNMENT) * GGUF_ALIGNMENT;

async function writeAll(file: Deno.FsFile, bytes: Uint8Array): Promise<void> {
  let done = 0;
  while (done < bytes.length) done += await file.write(bytes.subarray(done));
}

/**
 * Writes a GGUF v3 file: metadata pairs in order, then the tensors. Each tensor's
 * data is built in its own buffer, so peak memory is the largest tensor.
 */
export async function writeGguf(
  path: string,
  kvs: readonly GgufKv[],
  tensors: readonly GgufTensor[],
): Promise<void> {
  const keys = new Set<string>();
  for (const { key } of kvs) {
    if (keys.has(key)) throw new Error(`gguf: duplicate key ${key}`);
    keys.add(key);
  }
  const infos: Uint8Array[] = [];
  let offset = 0;
  for (const t of tensors) {
    infos.push(gstr(t.name), u32(t.dims.length), ...t.dims.map(u64), u32(t.type), u64(offset));
    offset += pad(tensorBytes(t.dims, t.type));
  }
  const header = concat([
    encoder.encode("GGUF"),
    u32(3),
    u64(tensors.length),
    u64(kvs.length),
    ...kvs.map((k) => k.bytes),
    ...infos,
  ]);
  const file = await Deno.open(path, { write: true, create: true, truncate: true });
  try {
    const head = new Uint8Array(pad(header.length));
    head.set(header);
    await writeAll(file, head);
    for (const t of tensors) {
      const data = new Uint8Array(pad(tensorBytes(t.dims, t.type)));
      t.fill?.(data.subarray(0, tensorBytes(t.dims, t.type)));
      await writeAll(file, data);
    }
  } finally {
    file.close();
  }
}

/** A tensor's entry in a GGUF file's header. */
export interface GgufTensorInfo {
  name: string;
  dims: number[];
  type: number;
  /** Offset of its data from the start of the (aligned) data section. */
  offset: number;
}

/** The header of a GGUF file. */
export interface GgufMeta {
  version: number;
  kvs: GgufKvRead[];
  tensors: GgufTensorInfo[];
  /** Where the data section starts in the file. */
  dataOffset: number;
}

/**
 * Decodes a GGUF file's header (metadata pairs and tensor infos); throws on
 * anything malformed or cut short. `bytes` may be just the file's beginning.
 */
export function readGgufMeta(bytes: Uint8Array): GgufMeta {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let at = 0;
  /** Moves past `n` bytes, returning where they start. */
  const take = (n: number) => {
    if (at + n > bytes.length) throw new Error("gguf: truncated file");
    at += n;
    return at - n;
  };
  const rU32 = () => view.getUint32(take(4), true);
  const rU64 = () => Number(view.getBigUint64(take(8), true));
  const rStr = () => {
    const n = rU64();
    const from = take(n);
    return decoder.decode(bytes.subarray(from, from + n));
  };
  const rScalar = (type: number): GgufValue => {
    if (type === V.str) return rStr();
    const w = WIDTH[type];
    if (w === undefined) throw new Error(`gguf: bad value type ${type}`);
    const p = take(w);
    switch (type) {
      case V.u8:
        return view.getUint8(p);
      case V.i8:
        return view.getInt8(p);
      case V.u16:
        return view.getUint16(p, true);
      case V.i16:
        return view.getInt16(p, true);
      case V.u32:
        return view.getUint32(p, true);
      case V.i32:
        return view.getInt32(p, true);
      case V.f32:
        return view.getFloat32(p, true);
      case V.bool:
        return view.getUint8(p) !== 0;
      case V.u64:
        return Number(view.getBigUint64(p, true));
      case V.i64:
        return Number(view.getBigInt64(p, true));
      default:
        return view.getFloat64(p, true);
    }
  };

  if (decoder.decode(bytes.subarray(0, 4)) !== "GGUF") throw new Error("gguf: bad magic");
  at = 4;
  const version = rU32();
  if (version !== 3) throw new Error(`gguf: version ${version}, expected 3`);
  const tensorCount = rU64();
  const kvCount = rU64();
  if (tensorCount > 1e6 || kvCount > 1e6) throw new Error("gguf: implausible header counts");
  const kvs: GgufKvRead[] = [];
  for (let i = 0; i < kvCount; i++) {
    const start = at;
    const key = rStr();
    const type = rU32();
    let value: GgufValue;
    if (type === V.arr) {
      const inner = rU32();
      const n = rU64();
      if (n > bytes.length - at) throw new Error("gguf: truncated file");
      const list: GgufValue[] = new Array(n);
      for (let j = 0; j < n; j++) list[j] = rScalar(inner);
      value = list;
    } else {
      value = rScalar(type);
    }
    kvs.push({ key, bytes: bytes.subarray(start, at), value });
  }
  const tensors: GgufTensorInfo[] = [];
  for (let i = 0; i < tensorCount; i++) {
    const name = rStr();
    const dims = Array.from({ length: rU32() }, rU64);
    tensors.push({ name, dims, type: rU32(), offset: rU64() });
  }
  return { version, kvs, tensors, dataOffset: pad(at) };
}

// --- number formats -------------------------------------------------------------------------

const f32Scratch = new Float32Array(1);
const f32Bits = new Uint32Array(f32Scratch.buffer);

/** IEEE half-precision bits of `x`, rounded to nearest. */
export function f16Bits(x: number): number {
  f32Scratch[0] = x;
  const b = f32Bits[0];
  const sign = (b >>> 16) & 0x8000;
  const exp = (b >>> 23) & 0xff;
  const mant = b & 0x7fffff;
  if (exp === 0xff) return sign | 0x7c00 | (mant ? 0x200 : 0);
  const e = exp - 127 + 15;
  if (e >= 0x1f) return sign | 0x7c00;
  if (e <= 0) {
    if (e < -10) return sign;
    const m = mant | 0x800000;
    const shift = 14 - e;
    return sign | ((m >> shift) + ((m >> (shift - 1)) & 1));
  }
  // Carry from rounding may bump the exponent, which is still the right value.
  return (sign | (e << 10) | (mant >> 13)) + ((mant >> 12) & 1);
}

/**
 * Writes `row` as row `index` of a matrix of type `type` in `out`. Q8_0: per 32
 * values an f16 scale d and 32 int8 q (value d·q). Q4_0: an f16 scale d and 16
 * bytes of nibbles, value (q − 8)·d, the low nibbles holding the block's first half.
 */
export function putRow(out: Uint8Array, type: GgmlType, index: number, row: Float32Array): void {
  if (type === GgmlType.F32) return putF32(out, row, index * row.length);
  if (type === GgmlType.F16) {
    const view = new DataView(out.buffer, out.byteOffset, out.byteLength);
    row.forEach((x, i) => view.setUint16((index * row.length + i) * 2, f16Bits(x), true));
    return;
  }
  const size = type === GgmlType.Q8_0 ? 34 : 18;
  const view = new DataView(out.buffer, out.byteOffset, out.byteLength);
  for (let b = 0; b < row.length / 32; b++) {
    const base = (index * row.length / 32 + b) * size;
    const block = row.subarray(b * 32, b * 32 + 32);
    // The value of largest magnitude, with its sign (Q4_0 maps it to q = 0, i.e. −8·d).
    let max = 0;
    for (const x of block) if (Math.abs(x) > Math.abs(max)) max = x;
    if (type === GgmlType.Q8_0) {
      const d = Math.abs(max) / 127;
      view.setUint16(base, f16Bits(d), true);
      block.forEach((x, i) => view.setInt8(base + 2 + i, d === 0 ? 0 : Math.round(x / d)));
    } else {
      const d = max / -8;
      view.setUint16(base, f16Bits(d), true);
      const q = (x: number) => (d === 0 ? 8 : Math.max(0, Math.min(15, Math.round(x / d + 8))));
      for (let i = 0; i < 16; i++) {
        view.setUint8(base + 2 + i, q(block[i]) | (q(block[i + 16]) << 4));
      }
    }
  }
}

/** Writes float32 values into a little-endian F32 tensor buffer. */
export function putF32(out: Uint8Array, values: ArrayLike<number>, at = 0): void {
  const view = new DataView(out.buffer, out.byteOffset, out.byteLength);
  for (let i = 0; i < values.length; i++) view.setFloat32((at + i) * 4, values[i], true);
}
