import { describe, expect, it } from 'vitest';
import { LogoError, sanitiseLogo, sanitiseSvg } from './logo.js';

describe('sanitiseSvg', () => {
  it('keeps shapes, text and styles, and removes scripts, handlers and links', async () => {
    const clean = await sanitiseSvg(
      '<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"><style>rect{fill:red}</style><script>alert(2)</script><rect width="5" height="5" onmouseover="alert(3)"/><a href="javascript:alert(4)"><text>Hi</text></a><use href="https://evil.example/x.svg#a"/></svg>',
    );
    expect(clean).toMatch(/^<svg/);
    expect(clean).toContain('<rect');
    expect(clean).toContain('Hi');
    expect(clean).toContain('rect{fill:red}');
    expect(clean).not.toMatch(/alert|javascript|evil|onload|onmouseover|<script|<use|<a[\s>]/);
  });

  it('refuses what is not an SVG', async () => {
    await expect(sanitiseSvg('<html><body>x</body></html>')).rejects.toThrow(LogoError);
    await expect(sanitiseSvg('just text')).rejects.toThrow(LogoError);
  });
});

describe('sanitiseLogo', () => {
  it('checks the PNG signature and the size', async () => {
    const png = Buffer.from('89504e470d0a1a0a0000', 'hex');
    expect(await sanitiseLogo('image/png', png)).toEqual(png);
    await expect(sanitiseLogo('image/png', Buffer.from('GIF89a'))).rejects.toThrow(/not a PNG/);
    await expect(sanitiseLogo('image/png', Buffer.alloc(0))).rejects.toThrow(/empty/);
    await expect(sanitiseLogo('image/png', Buffer.alloc(300 * 1024))).rejects.toThrow(/256 KiB/);
  });
});
