// shm.jpeg_read.*: read + decode of a 1920x1200 quality-90 JPEG through the reader (segment
// written by a frame writer, verified, decoded to RGB) versus a bare sharp decode of the same
// bytes. Runs interleaved so load changes hit both sides alike.
import sharp from 'sharp';
import { createFrameWriter, readImage } from '../dist/index.js';
import { median, report } from './report.mjs';

const width = 1920;
const height = 1200;
const pixels = Buffer.alloc(width * height * 3);
for (let y = 0; y < height; y += 1) {
  for (let x = 0; x < width; x += 1) {
    const offset = (y * width + x) * 3;
    pixels[offset] = (x * 255) / width;
    pixels[offset + 1] = (y * 255) / height;
    pixels[offset + 2] = ((x ^ y) * 37 + ((x * y) % 17)) & 0xff; // texture so the JPEG is not trivial
  }
}
const jpeg = await sharp(pixels, { raw: { width, height, channels: 3 } })
  .jpeg({ quality: 90 })
  .toBuffer();
const writer = createFrameWriter({ backend: 'mmap', slots: 2, capacityBytes: jpeg.byteLength });
const written = writer.write({ encoding: 'jpeg', bytes: jpeg, width, height });

const sdkTimes = [];
const sharpTimes = [];
try {
  for (let index = 0; index < 85; index += 1) {
    const timeSdk = async () => {
      const start = process.hrtime.bigint();
      const image = await readImage(written.sharedMemId, written.imageMeta);
      return [Number(process.hrtime.bigint() - start) / 1e6, image.data.byteLength];
    };
    const timeSharp = async () => {
      const start = process.hrtime.bigint();
      const bare = await sharp(jpeg).raw().toBuffer();
      return [Number(process.hrtime.bigint() - start) / 1e6, bare.byteLength];
    };
    // Alternate which side runs first so neither always gets the warmer caches.
    let sdk;
    let bare;
    if (index % 2 === 0) {
      sdk = await timeSdk();
      bare = await timeSharp();
    } else {
      bare = await timeSharp();
      sdk = await timeSdk();
    }
    const [sdkTime, sdkBytes] = sdk;
    const [sharpTime, sharpBytes] = bare;
    if (sdkBytes !== sharpBytes) throw new Error('decoded sizes differ');
    if (index >= 5) {
      sdkTimes.push(sdkTime);
      sharpTimes.push(sharpTime);
    }
  }
  report('shm.jpeg_read.sdk', median(sdkTimes), 'ms', 'shm.jpeg_read.sharp', median(sharpTimes));
} finally {
  writer.close();
}
