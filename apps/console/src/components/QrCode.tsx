import QRCode from 'qrcode';
import { useEffect, useState } from 'react';

/** A QR code as a data: URL image (the CSP allows `img-src data:`); nothing is drawn until it is ready. */
export function QrCode({ text, alt, testId }: { text: string; alt: string; testId?: string }) {
  const [src, setSrc] = useState<string | undefined>();
  useEffect(() => {
    let current = true;
    setSrc(undefined);
    QRCode.toDataURL(text, { errorCorrectionLevel: 'M', margin: 2, width: 240 }).then(
      (url) => current && setSrc(url),
      () => current && setSrc(undefined),
    );
    return () => {
      current = false;
    };
  }, [text]);
  if (!src) return <div className="qr qr--loading" />;
  return <img className="qr" data-testid={testId} src={src} alt={alt} width={240} height={240} />;
}
