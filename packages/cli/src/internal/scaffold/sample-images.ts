import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';

/** Size of the generated sample images. */
const sampleImageSize = { width: 320, height: 240 } as const;

/**
 * Writes `ok.png` (a clean light part) and `ng.png` (the same with a dark spot) into `directory`,
 * generated with sharp so the scaffold carries no binary template.
 */
export async function writeSampleImages(directory: string): Promise<{ ok: string; ng: string }> {
  const { default: sharp } = await import('sharp');
  const { width, height } = sampleImageSize;
  const plate = `<rect x="24" y="24" width="${width - 48}" height="${height - 48}" rx="12" fill="rgb(215,215,210)"/>`;
  const spot = '<circle cx="210" cy="130" r="18" fill="rgb(25,25,30)"/>';
  const render = (shapes: string) =>
    sharp({ create: { width, height, channels: 3, background: { r: 170, g: 172, b: 175 } } })
      .composite([{ input: Buffer.from(`<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}">${shapes}</svg>`) }])
      .png()
      .toBuffer();
  const ok = join(directory, 'ok.png');
  const ng = join(directory, 'ng.png');
  await writeFile(ok, await render(plate));
  await writeFile(ng, await render(plate + spot));
  return { ok, ng };
}
