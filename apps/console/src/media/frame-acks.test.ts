import { describe, expect, it } from 'vitest';
import { FrameAcks } from './frame-acks';

describe('FrameAcks', () => {
  it('acknowledges in arrival order: a frame settled early waits for the older ones, a dropped run by its newest', () => {
    const acks: number[] = [];
    const a = new FrameAcks((id) => acks.push(id));
    for (const id of [1, 2, 3, 4, 5]) a.arrived(id);
    a.dropped(3);
    a.dropped(4);
    expect(acks).toEqual([]); // 1 and 2 are still in the decoder
    a.drawn(1);
    expect(acks).toEqual([1]);
    a.drawn(2);
    expect(acks).toEqual([1, 2, 4]); // 3 is covered by 4 (acks are cumulative)
    a.drawn(5);
    expect(acks).toEqual([1, 2, 4, 5]);
    expect(a.pending).toBe(0);
  });

  it('a dropped frame followed by a drawn one needs no ack of its own; a cleared stream acknowledges nothing', () => {
    const acks: number[] = [];
    const a = new FrameAcks((id) => acks.push(id));
    a.arrived(7);
    a.arrived(8);
    a.drawn(8);
    a.dropped(7);
    expect(acks).toEqual([8]);
    a.arrived(9);
    a.clear();
    a.drawn(9);
    expect(acks).toEqual([8]);
  });
});
