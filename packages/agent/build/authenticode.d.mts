// Types of authenticode.mjs for the TypeScript tests (tests/agent/build-authenticode.test.ts).
export type AuthenticodeConfig =
  | { kind: 'pem'; cert: string; key: string; passwordFile?: string; timestamp?: string }
  | { kind: 'pkcs12'; pkcs12: string; passwordFile?: string; timestamp?: string };
export declare function authenticodeConfig(env: NodeJS.ProcessEnv): AuthenticodeConfig;
export declare function removeSignature(from: string, to: string): void;
export declare function authenticodeSign(file: string, config: AuthenticodeConfig, o: { description: string; url?: string }): void;
