import { createRequire } from 'node:module';
import type * as Koffi from 'koffi';
import { CaptureError } from '../errors.js';
import type { PlatformEnv } from '../types.js';

type KoffiApi = typeof Koffi;
type Fn = Koffi.KoffiFunc<(...args: unknown[]) => unknown>;

/** GstState values */
const NULL_STATE = 1;
const PLAYING = 4;
/** how long one pull waits for a frame (ns); the loop checks for close in between */
const PULL_NS = 200_000_000;

/**
 * koffi: in the packaged program FERNHILFE_KOFFI_NATIVE names its addon unpacked from the program
 * (as on Windows); from source (development, tests) the `koffi` package of node_modules.
 */
function loadKoffi(env: PlatformEnv): KoffiApi {
  const file = env.FERNHILFE_KOFFI_NATIVE;
  if (!file) return createRequire(import.meta.url)('koffi') as KoffiApi;
  const module = { exports: {} as KoffiApi };
  process.dlopen(module, file);
  return module.exports;
}

interface GstApi {
  parse: Fn;
  byName: Fn;
  setState: Fn;
  pull: Fn;
  sampleBuffer: Fn;
  sampleCaps: Fn;
  capsStructure: Fn;
  structureInt: Fn;
  bufferSize: Fn;
  extract: Fn;
  sampleUnref: Fn;
  objectUnref: Fn;
  factoryFind: Fn;
  errorMessage: (error: unknown) => string;
}

let api: GstApi | undefined;

/** Opens one system library by its soname, or says in plain words which one is missing and in which package. */
function library(koffi: KoffiApi, soname: string, pkg: string): Koffi.LibraryHandle {
  try {
    return koffi.load(soname);
  } catch (err) {
    throw new CaptureError('missing-extension', `the system library ${soname} is missing (Debian/Ubuntu: ${pkg}; every GNOME and KDE desktop has it)`, { cause: err });
  }
}

/** The system's GStreamer (libgstreamer-1.0, libgstapp-1.0) through koffi, loaded and initialised once. */
function gstreamer(env: PlatformEnv): GstApi {
  if (api) return api;
  const koffi = loadKoffi(env);
  const gst = library(koffi, 'libgstreamer-1.0.so.0', 'libgstreamer1.0-0');
  const app = library(koffi, 'libgstapp-1.0.so.0', 'gstreamer1.0-plugins-base');
  const GError = koffi.struct('FernhilfeGError', { domain: 'uint32_t', code: 'int', message: 'const char *' });
  const init = gst.func('int gst_init_check(void *argc, void *argv, _Out_ void **error)');
  const failed: unknown[] = [null];
  if (!init(null, null, failed)) throw new CaptureError('missing-extension', 'GStreamer could not start (gst_init_check failed)');
  api = {
    parse: gst.func('void *gst_parse_launch(const char *description, _Out_ void **error)'),
    byName: gst.func('void *gst_bin_get_by_name(void *bin, const char *name)'),
    setState: gst.func('int gst_element_set_state(void *element, int state)'),
    pull: app.func('void *gst_app_sink_try_pull_sample(void *sink, uint64_t timeout)'),
    sampleBuffer: gst.func('void *gst_sample_get_buffer(void *sample)'),
    sampleCaps: gst.func('void *gst_sample_get_caps(void *sample)'),
    capsStructure: gst.func('void *gst_caps_get_structure(void *caps, uint32_t index)'),
    structureInt: gst.func('int gst_structure_get_int(void *structure, const char *field, _Out_ int *value)'),
    bufferSize: gst.func('size_t gst_buffer_get_size(void *buffer)'),
    extract: gst.func('size_t gst_buffer_extract(void *buffer, size_t offset, void *dest, size_t size)'),
    sampleUnref: gst.func('void gst_sample_unref(void *sample)'),
    objectUnref: gst.func('void gst_object_unref(void *object)'),
    factoryFind: gst.func('void *gst_element_factory_find(const char *name)'),
    errorMessage: (error) => (error ? String((koffi.decode(error, GError) as { message: string }).message) : 'no reason given'),
  };
  return api;
}

/** One frame as GStreamer handed it over (not yet copied). */
export interface Sample {
  width: number;
  height: number;
  /** copies the BGRx pixels into `into` (at least width*height*4 bytes); releases the sample */
  copyTo(into: Buffer): void;
  release(): void;
}

/**
 * Frames of one PipeWire node (a mutter or portal screen-cast stream) through the system's GStreamer:
 * `pipewiresrc path=NODE ! videoconvert ! video/x-raw,format=BGRx ! appsink`, pulled on koffi's worker
 * threads (try_pull_sample blocks), so Node's thread never waits for a frame. No gst-launch binary:
 * the libraries a GNOME or KDE desktop already has. `onSample` gets each new frame; the previous one,
 * if not taken, is released.
 */
export class GstFrames {
  private running = true;
  private readonly stopped: Promise<void>;

  private constructor(
    private readonly gst: GstApi,
    private readonly pipeline: unknown,
    private readonly sink: unknown,
    onSample: (sample: Sample) => void,
  ) {
    this.stopped = this.loop(onSample);
  }

  static open(env: PlatformEnv, node: number, onSample: (sample: Sample) => void): GstFrames {
    const gst = gstreamer(env);
    for (const [element, pkg] of [['pipewiresrc', 'gstreamer1.0-pipewire'], ['videoconvert', 'gstreamer1.0-plugins-base'], ['appsink', 'gstreamer1.0-plugins-base']] as const) {
      const factory = gst.factoryFind(element);
      if (!factory) throw new CaptureError('missing-extension', `GStreamer's ${element} element is missing (Debian/Ubuntu: ${pkg})`);
      gst.objectUnref(factory);
    }
    // keepalive: mutter sends frames only on change; the capture drops repeats (capture.ts)
    const description = `pipewiresrc path=${Math.trunc(node)} keepalive-time=1000 always-copy=true ! videoconvert ! video/x-raw,format=BGRx ! appsink name=fernhilfe max-buffers=1 drop=true sync=false`;
    const error: unknown[] = [null];
    const pipeline = gst.parse(description, error);
    if (!pipeline) throw new CaptureError('display-refused', `GStreamer could not build the PipeWire pipeline: ${gst.errorMessage(error[0])}`);
    const sink = gst.byName(pipeline, 'fernhilfe');
    if (gst.setState(pipeline, PLAYING) === 0) {
      gst.objectUnref(sink);
      gst.objectUnref(pipeline);
      throw new CaptureError('display-refused', `PipeWire node ${node} did not start streaming`);
    }
    return new GstFrames(gst, pipeline, sink, onSample);
  }

  private async loop(onSample: (sample: Sample) => void): Promise<void> {
    const gst = this.gst;
    while (this.running) {
      const sample = await new Promise<unknown>((resolve) => {
        gst.pull.async(this.sink, PULL_NS, (err: unknown, res: unknown) => resolve(err ? null : res));
      });
      if (!sample) continue;
      if (!this.running) {
        gst.sampleUnref(sample);
        break;
      }
      const structure = gst.capsStructure(gst.sampleCaps(sample), 0);
      const w: number[] = [0];
      const h: number[] = [0];
      gst.structureInt(structure, 'width', w);
      gst.structureInt(structure, 'height', h);
      let released = false;
      const release = () => {
        if (!released) gst.sampleUnref(sample);
        released = true;
      };
      onSample({
        width: w[0]!,
        height: h[0]!,
        release,
        copyTo: (into) => {
          if (released) return;
          const buffer = gst.sampleBuffer(sample);
          const size = Math.min(Number(gst.bufferSize(buffer)), into.length);
          gst.extract(buffer, 0, into, size);
          release();
        },
      });
    }
  }

  /** Stops the pipeline once the pull under way returns (at most PULL_NS). */
  async close(): Promise<void> {
    if (!this.running) return this.stopped;
    this.running = false;
    await this.stopped;
    this.gst.setState(this.pipeline, NULL_STATE);
    this.gst.objectUnref(this.sink);
    this.gst.objectUnref(this.pipeline);
  }
}
