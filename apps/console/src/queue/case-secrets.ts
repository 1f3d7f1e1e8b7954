import { decryptCaseDescription, deriveCaseKeys, type CaseCredentials, type CaseKeys } from '@fernhilfe/protocol';

const PREFIX = 'fernhilfe.case.';

/**
 * The secrets of the cases this browser created or was told (docs/cases.md): in this browser's
 * localStorage only, never sent to the server. The derived keys are kept in memory (the KDF is slow).
 */
export class CaseSecrets {
  private readonly keys = new Map<string, Promise<CaseKeys>>();

  constructor(private readonly storage: Storage = localStorage) {}

  get(caseId: string): string | undefined {
    return this.storage.getItem(PREFIX + caseId) ?? undefined;
  }

  remember({ caseId, secret }: CaseCredentials): void {
    this.storage.setItem(PREFIX + caseId, secret);
  }

  forget(caseId: string): void {
    this.storage.removeItem(PREFIX + caseId);
    this.keys.delete(caseId);
  }

  keysFor(creds: CaseCredentials): Promise<CaseKeys> {
    const id = `${creds.caseId}.${creds.secret}`;
    let keys = this.keys.get(id);
    if (!keys) this.keys.set(id, (keys = deriveCaseKeys(creds)));
    return keys;
  }

  /** The description opened with `creds`; throws CaseCryptoError when the code is wrong. */
  async open(creds: CaseCredentials, sealed: string): Promise<string> {
    return decryptCaseDescription(await this.keysFor(creds), creds.caseId, sealed);
  }
}

export const caseSecrets = new CaseSecrets();
