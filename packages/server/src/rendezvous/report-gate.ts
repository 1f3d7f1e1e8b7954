import type { FilePolicyWire, Role, SessionReport } from '@fernhilfe/protocol';

/**
 * Which endpoint's report the audit trail believes (docs/audit.md, "Who may report what"). A report
 * is accepted only from the side that can know the fact: consents only from the customer's module,
 * a file offer only from its sender, its acceptance, refusal and outcome only from its receiver. A
 * transfer the operator's file policy forbids (direction, FILES_MAX_BYTES) cannot be reported as
 * offered, accepted or completed. Each side may send `quota` reports per session, so that an endpoint
 * cannot fill the database.
 */
export class ReportGate {
  private readonly sent: Record<Role, number>;

  /** `sent`: what each side reported before (a session adopted from another node keeps its quota) */
  constructor(private readonly opts: { quota: number; files?: FilePolicyWire | undefined; sent?: Record<Role, number> }) {
    this.sent = { customer: opts.sent?.customer ?? 0, technician: opts.sent?.technician ?? 0 };
  }

  /** Reports counted per side so far. */
  get counts(): Record<Role, number> {
    return { ...this.sent };
  }

  /** Counts the report; returns undefined when it may be recorded, else why not (for the sender). */
  check(by: Role, report: SessionReport): string | undefined {
    if (++this.sent[by] > this.opts.quota) return `more than ${this.opts.quota} reports in one session are not recorded`;
    switch (report.event) {
      case 'control-granted':
      case 'control-revoked':
      case 'clipboard-allowed':
      case 'clipboard-revoked':
      case 'recording-refused':
        return by === 'customer' ? undefined : `only the customer's side can report ${report.event}`;
      default:
        return this.checkFile(by, report);
    }
  }

  private checkFile(by: Role, report: Extract<SessionReport, { direction: unknown }>): string | undefined {
    const sender: Role = report.direction === 'to-customer' ? 'technician' : 'customer';
    const expected = report.event === 'file-offered' ? sender : sender === 'customer' ? 'technician' : 'customer';
    if (by !== expected) return `only the ${expected}'s side can report ${report.event} for a file ${report.direction}`;
    const files = this.opts.files;
    const claimsTransfer = report.event === 'file-offered' || report.event === 'file-accepted' || report.event === 'file-completed';
    if (!files || !claimsTransfer) return undefined;
    if (!files.directions.includes(report.direction)) return `files ${report.direction} are not allowed on this server`;
    if (report.size > files.maxBytes) return `a file of ${report.size} bytes is over this server's limit of ${files.maxBytes} bytes`;
    return undefined;
  }
}
