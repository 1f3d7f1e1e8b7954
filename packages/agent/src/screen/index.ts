/** The screen part of the agent: the feature, and the capture and encoders it is built from. */
export { ScreenFeature, screenFeature, type ScreenFeatureOptions, type ScreenLog } from './feature.js';
export { openScreenCapture, CaptureError, type ScreenCapture, type Monitor, type CursorShape, type CapturedFrame, type CaptureOptions } from '../capture/index.js';
export { X11ScreenCapture } from '../capture/x11-capture.js';
export { encoders, findFfmpeg, X264Encoder, EncodeError, type ScreenEncoder, type EncodedFrame } from '../encode/index.js';
