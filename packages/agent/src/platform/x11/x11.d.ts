/**
 * Types for the parts of the pure-JS `x11` package (node-x11, no declarations of its own) that the
 * agent uses. Names and argument order follow node_modules/x11/lib/corereqs.js and lib/ext/*.js;
 * only what we call is declared. Brought in by client.ts beside it (its triple-slash reference).
 */
declare module 'x11' {
  import type { EventEmitter } from 'node:events';

  /** Node-style callback; returning true marks an error as handled (else the client emits 'error'). */
  export type Callback<T> = (err: RawXError | null | undefined, value: T) => unknown;

  /** What the package hands a callback or 'error' listener for an X protocol error. */
  export interface RawXError extends Error {
    /** the X error code (BadWindow = 3, BadAtom = 5, …) */
    error?: number;
    badParam?: number;
    majorOpcode?: number;
    minorOpcode?: number;
  }

  export interface Screen {
    root: number;
    pixel_width: number;
    pixel_height: number;
    root_depth: number;
  }

  export interface Display {
    client: XClient;
    screen: Screen[];
    min_keycode: number;
    max_keycode: number;
    /** in 4-byte units (after BIG-REQUESTS: the extended limit) */
    max_request_length: number;
  }

  /** A parsed event: `type` without the SendEvent bit, `name` for core events, the fields by name. */
  export interface RawEvent {
    type: number;
    name?: string;
    seq: number;
    /** the 32 wire bytes */
    rawData: Buffer;
    [field: string]: unknown;
  }

  export interface Property {
    type: number;
    format: number;
    bytesAfter: number;
    data: Buffer;
  }

  export interface PointerInfo {
    /** false: the pointer is on another screen of the display */
    sameScreen: boolean;
    root: number;
    child: number;
    rootX: number;
    rootY: number;
    /** key and button state mask (Button1 = 0x100 … Button5 = 0x1000) */
    keyMask: number;
  }

  export interface ExtensionInfo {
    present: number;
    majorOpcode: number;
    firstEvent: number;
    firstError: number;
  }

  export interface XTest {
    KeyPress: number;
    KeyRelease: number;
    ButtonPress: number;
    ButtonRelease: number;
    MotionNotify: number;
    FakeInput(type: number, detail: number, time: number, root: number, x: number, y: number): void;
  }

  export interface XFixes {
    firstEvent: number;
    SelectionEventMask: { SetSelectionOwner: number; SelectionWindowDestroy: number; SelectionClientClose: number };
    SelectSelectionInput(window: number, selection: number, eventMask: number): void;
    /** the negotiated version (the package asks for 5.0) */
    major: number;
    minor: number;
    events: { SelectionNotify: number; CursorNotify: number };
    CursorNotifyMask: { DisplayCursor: number };
    SelectCursorInput(window: number, eventMask: number): void;
    GetCursorImage(cb: Callback<CursorImage>): void;
    CreateRegion(region: number, rects: Array<{ x: number; y: number; width: number; height: number }>): void;
    DestroyRegion(region: number): void;
    FetchRegion(region: number, cb: Callback<{ extents: Rectangle; rectangles: Rectangle[] }>): void;
  }

  export interface Rectangle {
    x: number;
    y: number;
    width: number;
    height: number;
  }

  /** XFIXES GetCursorImage: `cursorImage` is width*height ARGB32, premultiplied alpha. */
  export interface CursorImage {
    x: number;
    y: number;
    width: number;
    height: number;
    xhot: number;
    yhot: number;
    cursorSerial: number;
    cursorImage: Buffer;
  }

  /** A shared memory segment of a provider (lib/shm-provider.js): the package never maps it, `buffer` is a copy. */
  export interface ShmProviderSegment {
    size: number;
    fd: number | null;
    buffer: Buffer;
  }

  /** The built-in provider: an unlinked /dev/shm file; `sync` preads server-written bytes into `seg.buffer`. */
  export interface ShmProvider {
    flavor: 'fd' | 'shmid';
    zeroCopy: boolean;
    create(size: number): ShmProviderSegment;
    sync(seg: ShmProviderSegment, offset?: number, length?: number): void;
    destroy(seg: ShmProviderSegment): void;
  }

  export interface Shm {
    major: number;
    minor: number;
    /** the socket can pass descriptors (SCM_RIGHTS) */
    fdCapable: boolean;
    /** null: no shared memory on this connection (remote display, `shm: false`, no /dev/shm, SHM < 1.2) */
    provider: ShmProvider | null;
    ImageFormat: { ZPixmap: number };
    AttachFd(shmseg: number, fd: number, readOnly: boolean, cb?: Callback<void>): void;
    Detach(shmseg: number, cb?: Callback<void>): void;
    GetImage(drawable: number, x: number, y: number, width: number, height: number, planeMask: number, format: number, shmseg: number, offset: number, cb: Callback<{ depth: number; visual: number; size: number }>): void;
  }

  export interface Damage {
    major: number;
    minor: number;
    firstEvent: number;
    ReportLevel: { RawRectangles: number; DeltaRectangles: number; BoundingBox: number; NonEmpty: number };
    Create(damage: number, drawable: number, level: number): void;
    Destroy(damage: number): void;
    /** repair / parts: a region or 0 (None) */
    Subtract(damage: number, repair: number, parts: number): void;
  }

  export interface Randr {
    majorOpcode: number;
    firstEvent: number;
    major_version: number;
    minor_version: number;
    NotifyMask: { ScreenChange: number; CrtcChange: number; OutputChange: number; OutputProperty: number; All: number };
    SelectInput(window: number, mask: number): void;
  }

  /** XInput; only what the capture uses: XI2 raw motion on the root (events come as GenericEvent, name 'XIRawMotion'). */
  export interface XInput {
    majorOpcode: number;
    /** the XI2 version the server agreed to, null before XI2 */
    xi2: { majorVersion: number; minorVersion: number } | null;
    EventType: { RawMotion: number };
    XISelectEvents(window: number, masks: { deviceId: number; mask: number | Array<string | number> }): void;
  }

  export interface Extensions {
    xinput: XInput;
    xtest: XTest;
    fixes: XFixes;
    shm: Shm;
    damage: Damage;
    randr: Randr;
  }

  /** The package's output queue, for a request it does not pack itself (docs/README.md: `X.seq_num++` first). */
  export interface PackStream {
    put(packet: Buffer): void;
    submit(expectsReply?: boolean): boolean;
  }

  export interface XClient extends EventEmitter {
    display: Display;
    /** the standard atoms by name (STRING, ATOM…), plus every atom interned so far */
    atoms: Record<string, number>;
    stream: EventEmitter & { destroyed: boolean; destroy(): void };
    AllocID(): number;
    ReleaseID(id: number): void;
    /** the sequence number of the last request issued */
    seq_num: number;
    pack_stream: PackStream;
    /** pending replies by sequence number: [unpack(body after the first 8 bytes, header byte 1), callback] */
    replies: Record<number, [(body: Buffer, opt: number) => unknown, Callback<unknown>]>;
    require<K extends keyof Extensions>(name: K, cb: Callback<Extensions[K]>): void;
    /** a round trip (GetInputFocus); cb once every request before it has been processed */
    sync(cb: (err: RawXError | null) => void): void;
    close(cb?: (err?: Error) => void): void;
    terminate(): void;

    QueryExtension(name: string, cb: Callback<ExtensionInfo>): void;
    InternAtom(onlyIfExists: boolean, name: string, cb: Callback<number>): void;
    CreateWindow(id: number, parent: number, x: number, y: number, width: number, height: number, border: number, depth: number, cls: number, visual: number, values: { eventMask?: number }): void;
    ChangeWindowAttributes(window: number, values: { eventMask?: number; cursor?: number }): void;
    OpenFont(font: number, name: string): void;
    /** colours as 16-bit R, G, B */
    CreateGlyphCursor(cursor: number, sourceFont: number, maskFont: number, sourceChar: number, maskChar: number, fore: { R: number; G: number; B: number }, back: { R: number; G: number; B: number }): void;
    MapWindow(window: number): void;
    DestroyWindow(window: number): void;
    /** mode 0 replace, 1 prepend, 2 append; format 8, 16 or 32 */
    ChangeProperty(mode: number, window: number, property: number, type: number, format: number, data: Buffer): void;
    /** offset and length in 4-byte units */
    GetProperty(remove: number, window: number, property: number, type: number, offset: number, length: number, cb: Callback<Property>): void;
    SetSelectionOwner(owner: number, selection: number, time?: number): void;
    GetSelectionOwner(selection: number, cb: Callback<number>): void;
    ConvertSelection(requestor: number, selection: number, target: number, property: number, time?: number): void;
    /** `event`: 32 wire bytes, or an object shaped like a parsed event (packed with packEvent) */
    SendEvent(destination: number, propagate: number, eventMask: number, event: Buffer | Record<string, unknown>): void;
    QueryPointer(window: number, cb: Callback<PointerInfo>): void;
    /** format 2 = ZPixmap; `data` the image bytes */
    GetImage(format: number, drawable: number, x: number, y: number, width: number, height: number, planeMask: number, cb: Callback<{ depth: number; visualId: number; data: Buffer }>): void;
    GetAtomName(atom: number, cb: Callback<string>): void;
    /** 32 bytes, one bit per keycode that is down */
    QueryKeymap(cb: Callback<Buffer>): void;
    /** rows[keycode - first][column] */
    GetKeyboardMapping(first: number, count: number, cb: Callback<number[][]>): void;
    /** keysyms: count * perKeycode values, keycode by keycode */
    ChangeKeyboardMapping(first: number, perKeycode: number, keysyms: number[]): void;
    /** rows[modifier 0..7] = keycodes (0 for an unused slot) */
    GetModifierMapping(cb: Callback<number[][]>): void;
  }

  export interface ClientOptions {
    display?: string;
    /** false: a plain socket, no MIT-SHM descriptor passing */
    shm?: boolean;
  }

  export function createClient(options: ClientOptions, cb: (err: Error | undefined, display: Display) => void): XClient;
  export const eventMask: Record<'KeyPress' | 'ButtonPress' | 'ButtonRelease' | 'PointerMotion' | 'PropertyChange', number>;
  export const eventTypes: Record<string, number>;
  export const keySyms: Record<string, { code: number; description: string | null } | undefined>;
  export const InputOnly: number;

  const x11: {
    createClient: typeof createClient;
    eventMask: typeof eventMask;
    eventTypes: typeof eventTypes;
    keySyms: typeof keySyms;
    InputOnly: typeof InputOnly;
  };
  export default x11;
}
