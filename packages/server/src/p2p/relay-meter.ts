/**
 * Counts what the relay forwards between the two endpoints of active sessions (PEER frames): the
 * figure that shows a session upgraded to a direct path no longer crosses the server. Opaque
 * bytes only; nothing about their content.
 */
export class RelayMeter {
  private bytesValue = 0;
  private framesValue = 0;

  get bytes(): number {
    return this.bytesValue;
  }

  get frames(): number {
    return this.framesValue;
  }

  count(bytes: number): void {
    this.bytesValue += bytes;
    this.framesValue++;
  }
}
