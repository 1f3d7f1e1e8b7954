// Types of pe.mjs for the TypeScript tests (tests/agent/build-pe.test.ts).
export declare const SUBSYSTEM_GUI: 2;
export declare const SUBSYSTEM_CONSOLE: 3;
export declare function subsystemOffset(bytes: Uint8Array): number;
export declare function peSubsystem(bytes: Uint8Array): number;
export declare function setGuiSubsystem(bytes: Uint8Array): void;
