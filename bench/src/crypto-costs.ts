import {
  ChannelOpener,
  ChannelSealer,
  PROTOCOL_LABEL,
  confirmationTag,
  cpaceInitiator,
  cpaceResponder,
  deriveSessionSecrets,
  lvCat,
  randomNonce,
  utf8,
} from '@fernhilfe/protocol';
import { summarize, type Summary } from './stats.js';

export interface CryptoCosts {
  /** CPace of both ends, key schedule, both confirmation tags, four AES key imports: all CPU, no I/O */
  handshake: Summary;
  /** seal + open of one frame of `frameBytes` on one thread, one after the other */
  sealOpen: Summary;
  frameBytes: number;
}

/**
 * What the endpoints' cryptography costs by itself, measured in this process with nothing else
 * running: the part of a session setup and of a frame's one-way time that is client CPU, not
 * network or relay.
 */
export async function measureCryptoCosts(frameBytes: number, handshakes: number, frames: number): Promise<CryptoCosts> {
  const handshake: number[] = [];
  for (let i = 0; i < handshakes + 5; i++) {
    const ms = await oneHandshake();
    if (i >= 5) handshake.push(ms);
  }

  const keys = { key: crypto.getRandomValues(new Uint8Array(32)), iv: crypto.getRandomValues(new Uint8Array(12)) };
  const channelId = crypto.getRandomValues(new Uint8Array(16));
  const sealer = await ChannelSealer.create(keys, channelId, 't2c');
  const opener = await ChannelOpener.create(keys, channelId, 't2c');
  const payload = crypto.getRandomValues(new Uint8Array(frameBytes));
  const sealOpen: number[] = [];
  for (let i = 0; i < frames + 50; i++) {
    const t = performance.now();
    await opener.open(await sealer.seal(payload));
    if (i >= 50) sealOpen.push(performance.now() - t);
  }
  return { handshake: summarize(handshake), sealOpen: summarize(sealOpen), frameBytes };
}

async function oneHandshake(): Promise<number> {
  const sid = randomNonce(16);
  const input = (ad: string) => ({ prs: utf8('abc2345'), ci: lvCat(utf8(PROTOCOL_LABEL), utf8('123456789')), sid, ad: utf8(ad) });
  const t = performance.now();
  const a = cpaceInitiator(input('technician'));
  const b = cpaceResponder(input('customer'), a.message);
  const customer = deriveSessionSecrets(b.isk, sid);
  const fa = a.finish(b.message);
  const technician = deriveSessionSecrets(fa.isk, sid);
  confirmationTag(technician, 'technician', fa.transcript);
  confirmationTag(customer, 'technician', b.transcript);
  confirmationTag(customer, 'customer', b.transcript);
  confirmationTag(technician, 'customer', fa.transcript);
  await Promise.all([
    ChannelSealer.create(technician.t2c, technician.channelId, 't2c'),
    ChannelOpener.create(technician.c2t, technician.channelId, 'c2t'),
    ChannelSealer.create(customer.c2t, customer.channelId, 'c2t'),
    ChannelOpener.create(customer.t2c, customer.channelId, 't2c'),
  ]);
  return performance.now() - t;
}
