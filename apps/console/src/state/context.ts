import { InvariantError } from '@fernhilfe/protocol';
import { createContext, useContext } from 'react';
import type { AppState, ConsoleController } from './controller';
import { useStore } from './use-store';

export const ConsoleContext = createContext<ConsoleController | null>(null);

export function useConsole(): ConsoleController {
  const controller = useContext(ConsoleContext);
  if (!controller) throw new InvariantError('useConsole() outside <ConsoleContext>');
  return controller;
}

export function useAppState<T>(select: (state: AppState) => T): T {
  return useStore(useConsole().store, select);
}
