import { useEffect, useRef, useState } from 'react';
import type { CasesReply, SupportCase } from '@fernhilfe/protocol';
import { api } from '../api';
import { describe } from '../admin/use-load';

const POLL_MS = 10_000;

export interface QueueState {
  data: CasesReply | undefined;
  error: string | undefined;
  /** cases whose customer arrived while this page was open, newest last */
  arrivals: SupportCase[];
  reload(): void;
}

/**
 * The queue's list, reloaded on every change the server pushes (GET /api/cases/events, server-sent
 * events) and every few seconds besides (changes on other server nodes). `onArrival` hears each
 * customer who arrived since the page opened.
 */
export function useQueue(onArrival: (c: SupportCase) => void): QueueState {
  const [data, setData] = useState<CasesReply>();
  const [error, setError] = useState<string>();
  const [arrivals, setArrivals] = useState<SupportCase[]>([]);
  const present = useRef<Set<string> | undefined>(undefined);
  const arrival = useRef(onArrival);
  arrival.current = onArrival;
  const [round, setRound] = useState(0);

  useEffect(() => {
    let live = true;
    api.call('cases').then(
      (reply) => {
        if (!live) return;
        const now = new Set(reply.cases.filter((c) => c.present).map((c) => c.id));
        const before = present.current;
        present.current = now;
        setData(reply);
        setError(undefined);
        if (!before) return; // the first load: who already waits is no news
        const arrived = reply.cases.filter((c) => c.present && !before.has(c.id));
        if (arrived.length === 0) return;
        setArrivals((a) => [...a, ...arrived]);
        for (const c of arrived) arrival.current(c);
      },
      (err: unknown) => live && setError(describe(err).message),
    );
    return () => {
      live = false;
    };
  }, [round]);

  useEffect(() => {
    const reload = () => setRound((r) => r + 1);
    const events = new EventSource('/api/cases/events');
    events.addEventListener('case', reload);
    const timer = setInterval(reload, POLL_MS);
    return () => {
      events.close();
      clearInterval(timer);
    };
  }, []);

  return { data, error, arrivals, reload: () => setRound((r) => r + 1) };
}
