/** The part of WebCodecs the viewer uses; tests pass a fake. */
export interface DecoderFactory {
  isSupported(config: VideoDecoderConfig): Promise<boolean>;
  create(init: VideoDecoderInit): VideoDecoder;
  chunk(init: EncodedVideoChunkInit): EncodedVideoChunk;
}

/** The browser's WebCodecs; `isSupported` is false where there is none (old browser, insecure page). */
export const webCodecs: DecoderFactory = {
  isSupported: async (config) => {
    if (typeof VideoDecoder === 'undefined') return false;
    const result = await VideoDecoder.isConfigSupported(config).catch(() => ({ supported: false }));
    return result.supported === true;
  },
  create: (init) => new VideoDecoder(init),
  chunk: (init) => new EncodedVideoChunk(init),
};
