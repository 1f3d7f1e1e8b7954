/** An SVG logo that carries every kind of script we know of: the server must strip all of it. */
export const EVIL_SVG = `<?xml version="1.0"?>
<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" width="120" height="40" onload="alert('onload')">
  <script>alert('script')</script>
  <rect width="120" height="40" fill="#0b5cad" onclick="alert('click')"/>
  <foreignObject width="10" height="10"><iframe xmlns="http://www.w3.org/1999/xhtml" src="javascript:alert('iframe')"></iframe></foreignObject>
  <a xlink:href="javascript:alert('link')"><text x="5" y="25" fill="#fff">ACME</text></a>
  <image href="https://evil.example/track.png" width="1" height="1"/>
</svg>`;
