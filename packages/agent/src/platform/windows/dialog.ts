import type { NativeDialog, PlatformEnv } from '../types.js';
import { loadKoffi, type KoffiApi } from './koffi.js';
import { windowClassApi, type Fn, type WindowClassApi } from './window-types.js';

/** The dialog's window class: tests and screen readers find the window by it. */
export const DIALOG_CLASS = 'FernhilfeQuickSupport';

const WS_OVERLAPPED_DIALOG = 0x00c00000 | 0x00080000 | 0x00020000; // caption, system menu, minimise box
const WS_CHILD_VISIBLE_TAB = 0x40000000 | 0x10000000 | 0x00010000;
const WS_VISIBLE = 0x10000000;
const ES_READONLY_TEXT = 0x0004 | 0x0040 | 0x0800 | 0x00200000 | 0x00800000; // multiline, auto-vscroll, read-only, vscroll, border
const BS_PUSHBUTTON = 0;
const WM_CLOSE = 0x0010;
const WM_COMMAND = 0x0111;
const WM_SETFONT = 0x0030;
const BN_CLICKED = 0;
const PM_REMOVE = 1;
const SW_SHOW = 5;
const SW_HIDE = 0;
const DEFAULT_GUI_FONT = 17;
const COLOR_BTNFACE = 15;
const BUTTON_ID = 200;
const MAX_BUTTONS = 3;
/** how often queued window messages are handled (the window lives on Node's own thread) */
const PUMP_MS = 30;


interface User32 extends WindowClassApi {
  ShowWindow: Fn;
  SetWindowTextW: Fn;
  SendMessageW: Fn;
  SendMessagePtr: Fn;
  SetForegroundWindow: Fn;
  GetStockObject: Fn;
  GetSysColorBrush: Fn;
}

let user32: User32 | undefined;

function bind(koffi: KoffiApi): User32 {
  if (user32) return user32;
  const { f, common, user32: u } = windowClassApi(koffi, 'FernhilfeDialogProc');
  const g = koffi.load('gdi32.dll');
  user32 = {
    ...common,
    CreateWindowExW: f(u, 'CreateWindowExW', 'void *', ['uint32', 'str16', 'str16', 'uint32', 'int', 'int', 'int', 'int', 'void *', 'uintptr', 'void *', 'void *']),
    ShowWindow: f(u, 'ShowWindow', 'bool', ['void *', 'int']),
    SetWindowTextW: f(u, 'SetWindowTextW', 'bool', ['void *', 'str16']),
    SendMessageW: f(u, 'SendMessageW', 'intptr', ['void *', 'uint32', 'uintptr', 'intptr']),
    SendMessagePtr: f(u, 'SendMessageW', 'intptr', ['void *', 'uint32', 'void *', 'intptr']),
    SetForegroundWindow: f(u, 'SetForegroundWindow', 'bool', ['void *']),
    GetStockObject: f(g, 'GetStockObject', 'void *', ['int']),
    GetSysColorBrush: f(u, 'GetSysColorBrush', 'void *', ['int']),
  };
  return user32;
}

/** Windows' `\r\n` line ends in an edit control. */
const crlf = (text: string) => text.replace(/\r?\n/g, '\r\n');

/**
 * A plain native window for the customer where no browser can be opened: a read-only text (ID,
 * password, what is happening) and up to three buttons, on Node's own thread (queued messages are
 * handled every few milliseconds, so the event loop keeps running). Closing the window counts as a
 * click on `onClose`. The window class is DIALOG_CLASS; the text is an Edit control, the buttons
 * Button controls, so that accessibility tools (and the tests) can read and press them.
 */
export function openWindowsDialog(env: PlatformEnv, title: string): NativeDialog {
  const w = bind(loadKoffi(env));
  let onClick: (index: number) => void = () => undefined;
  let onClose: () => void = () => undefined;
  w.handler.current = (h: unknown, message: number, wParam: number | bigint, lParam: number | bigint) => {
    if (message === WM_COMMAND && Number(wParam) >>> 16 === BN_CLICKED) {
      const index = (Number(wParam) & 0xffff) - BUTTON_ID;
      if (index >= 0 && index < MAX_BUTTONS) setImmediate(() => onClick(index));
      return 0;
    }
    if (message === WM_CLOSE) {
      setImmediate(() => onClose());
      return 0;
    }
    return w.DefWindowProcW(h, message, wParam, lParam);
  };
  const instance = w.GetModuleHandleW(null);
  // a second registration of the class in the same process fails harmlessly (the class exists)
  w.RegisterClassExW({
    cbSize: w.classSize, style: 0, lpfnWndProc: w.proc, cbClsExtra: 0, cbWndExtra: 0, hInstance: instance,
    hIcon: null, hCursor: null, hbrBackground: w.GetSysColorBrush(COLOR_BTNFACE), lpszMenuName: null, lpszClassName: DIALOG_CLASS, hIconSm: null,
  });
  const hwnd = w.CreateWindowExW(0, DIALOG_CLASS, title, WS_OVERLAPPED_DIALOG | WS_VISIBLE, 120, 80, 520, 400, null, 0, instance, null);
  const font = w.GetStockObject(DEFAULT_GUI_FONT);
  const child = (cls: string, text: string, style: number, x: number, y: number, cx: number, cy: number, id: number) => {
    const c = w.CreateWindowExW(0, cls, text, style, x, y, cx, cy, hwnd, id, instance, null);
    w.SendMessagePtr(c, WM_SETFONT, font, 1);
    return c;
  };
  const text = child('Edit', '', WS_CHILD_VISIBLE_TAB | ES_READONLY_TEXT, 12, 12, 480, 280, 100);
  const buttons = Array.from({ length: MAX_BUTTONS }, (_, i) => child('Button', '', WS_CHILD_VISIBLE_TAB | BS_PUSHBUTTON, 12 + i * 162, 306, 150, 34, BUTTON_ID + i));
  w.SetForegroundWindow(hwnd);
  const pump = setInterval(() => {
    const msg = {};
    while (w.PeekMessageW(msg, null, 0, 0, PM_REMOVE)) {
      w.TranslateMessage(msg);
      w.DispatchMessageW(msg);
    }
  }, PUMP_MS);
  let closed = false;
  return {
    show: (body, labels) => {
      if (closed) return;
      w.SetWindowTextW(text, crlf(body));
      buttons.forEach((b, i) => {
        const label = labels[i];
        if (label !== undefined) w.SetWindowTextW(b, label);
        w.ShowWindow(b, label === undefined ? SW_HIDE : SW_SHOW);
      });
    },
    onClick: (listener) => void (onClick = listener),
    onClose: (listener) => void (onClose = listener),
    close: () => {
      if (closed) return;
      closed = true;
      clearInterval(pump);
      w.DestroyWindow(hwnd);
    },
  };
}
