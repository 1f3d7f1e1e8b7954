/** Wire protocol version. Bumped on any incompatible change of framing, messages or crypto. */
export const PROTOCOL_VERSION = 1;

/** Domain separation prefix for every label this protocol feeds into a hash or KDF. */
export const PROTOCOL_LABEL = 'Fernhilfe v1';
