// Derives the face test pictures from samples/astronaut.png and runs face-api.js (pure-JS tfjs CPU
// backend) on each, writing the reference boxes, scores and 68 landmarks that the Java face stage
// is tested against. Run from the project root:  node tools/face-fixtures/make-fixtures.cjs
// (after `npm install` in tools/face-fixtures). See docs/face.md.
const fs = require('fs');
const path = require('path');
const { PNG } = require('pngjs');
const jpeg = require('jpeg-js');
const faceapi = require('@vladmandic/face-api/dist/face-api.node-wasm.js');

const tf = faceapi.tf;
const root = path.resolve(__dirname, '..', '..');
const outDir = path.join(root, 'src', 'test', 'resources', 'face');
const modelDir = path.join(root, 'checkpoints', 'face-api');

/** An RGB picture as a flat Uint8Array (row-major, 3 bytes a pixel). */
function rgbImage(width, height, data) { return { width, height, data: data || new Uint8Array(width * height * 3) }; }

function readPng(file) {
  const png = PNG.sync.read(fs.readFileSync(file));
  const img = rgbImage(png.width, png.height);
  for (let i = 0, j = 0; i < png.width * png.height; i++, j += 4) {
    img.data[3 * i] = png.data[j]; img.data[3 * i + 1] = png.data[j + 1]; img.data[3 * i + 2] = png.data[j + 2];
  }
  return img;
}

function rgba(img, alphaAt) {
  const out = Buffer.alloc(img.width * img.height * 4);
  for (let y = 0; y < img.height; y++) {
    for (let x = 0; x < img.width; x++) {
      const i = y * img.width + x;
      out[4 * i] = img.data[3 * i]; out[4 * i + 1] = img.data[3 * i + 1]; out[4 * i + 2] = img.data[3 * i + 2];
      out[4 * i + 3] = alphaAt ? alphaAt(x, y) : 255;
    }
  }
  return out;
}

function writePng(img, file, options = {}) {
  const png = new PNG({ width: img.width, height: img.height, colorType: options.colorType ?? 2, inputHasAlpha: true });
  png.data = rgba(img, options.alphaAt);
  fs.writeFileSync(file, PNG.sync.write(png, { colorType: options.colorType ?? 2 }));
}

/** Bilinear resize through tfjs (half-pixel centres), rounded back to 8 bits. */
function resize(img, width, height) {
  return tf.tidy(() => {
    const t = tf.tensor3d(img.data, [img.height, img.width, 3], 'int32').toFloat();
    const r = tf.image.resizeBilinear(t, [height, width], false, true).round().clipByValue(0, 255);
    return rgbImage(width, height, Uint8Array.from(r.dataSync()));
  });
}

function crop(img, x0, y0, width, height) {
  const out = rgbImage(width, height);
  for (let y = 0; y < height; y++) {
    out.data.set(img.data.subarray(((y0 + y) * img.width + x0) * 3, ((y0 + y) * img.width + x0 + width) * 3), y * width * 3);
  }
  return out;
}

function paste(dst, src, x0, y0) {
  for (let y = 0; y < src.height; y++) {
    dst.data.set(src.data.subarray(y * src.width * 3, (y + 1) * src.width * 3), ((y0 + y) * dst.width + x0) * 3);
  }
}

/** Rotation by 90 degrees counter-clockwise (what a camera stores when EXIF orientation 6 says "turn clockwise"). */
function rotateCcw(img) {
  const out = rgbImage(img.height, img.width);
  for (let y = 0; y < img.height; y++) {
    for (let x = 0; x < img.width; x++) {
      const d = ((img.width - 1 - x) * out.width + y) * 3, s = (y * img.width + x) * 3;
      out.data[d] = img.data[s]; out.data[d + 1] = img.data[s + 1]; out.data[d + 2] = img.data[s + 2];
    }
  }
  return out;
}

function rotateCw(img) {
  const out = rgbImage(img.height, img.width);
  for (let y = 0; y < img.height; y++) {
    for (let x = 0; x < img.width; x++) {
      const d = (x * out.width + (img.height - 1 - y)) * 3, s = (y * img.width + x) * 3;
      out.data[d] = img.data[s]; out.data[d + 1] = img.data[s + 1]; out.data[d + 2] = img.data[s + 2];
    }
  }
  return out;
}

/** A baseline JPEG with an EXIF APP1 segment holding only the orientation tag. */
function writeJpegWithOrientation(img, orientation, file) {
  const encoded = jpeg.encode({ data: rgba(img), width: img.width, height: img.height }, 95).data;
  const exif = Buffer.from([
    0xff, 0xe1, 0x00, 0x22, // APP1, length 34
    0x45, 0x78, 0x69, 0x66, 0x00, 0x00, // "Exif\0\0"
    0x4d, 0x4d, 0x00, 0x2a, 0x00, 0x00, 0x00, 0x08, // big-endian TIFF header, IFD0 at 8
    0x00, 0x01, // one entry
    0x01, 0x12, 0x00, 0x03, 0x00, 0x00, 0x00, 0x01, 0x00, orientation, 0x00, 0x00, // Orientation, SHORT, 1
    0x00, 0x00, 0x00, 0x00, // no next IFD
  ]);
  fs.writeFileSync(file, Buffer.concat([encoded.subarray(0, 2), exif, encoded.subarray(2)]));
}

function readJpeg(file) {
  const d = jpeg.decode(fs.readFileSync(file), { useTArray: true, formatAsRGBA: false });
  return rgbImage(d.width, d.height, Uint8Array.from(d.data));
}

function gray(img) {
  const out = rgbImage(img.width, img.height);
  for (let i = 0; i < img.width * img.height; i++) {
    // ITU-R BT.601 luma, as PNG greyscale converters (and OpenCV) use
    const v = Math.round(0.299 * img.data[3 * i] + 0.587 * img.data[3 * i + 1] + 0.114 * img.data[3 * i + 2]);
    out.data[3 * i] = v; out.data[3 * i + 1] = v; out.data[3 * i + 2] = v;
  }
  return out;
}

async function loadNets() {
  const load = async (net, name) => {
    const manifest = JSON.parse(fs.readFileSync(path.join(modelDir, `${name}-weights_manifest.json`)));
    const specs = manifest.flatMap((g) => g.weights);
    const buffers = manifest.flatMap((g) => g.paths.map((p) => fs.readFileSync(path.join(modelDir, p))));
    const all = Buffer.concat(buffers);
    const weights = tf.io.decodeWeights(all.buffer.slice(all.byteOffset, all.byteOffset + all.length), specs);
    net.loadFromWeightMap(weights);
  };
  await load(faceapi.nets.ssdMobilenetv1, 'ssd_mobilenetv1_model');
  await load(faceapi.nets.tinyFaceDetector, 'tiny_face_detector_model');
  await load(faceapi.nets.faceLandmark68Net, 'face_landmark_68_model');
  await load(faceapi.nets.faceLandmark68TinyNet, 'face_landmark_68_tiny_model');
}

const round4 = (v) => Math.round(v * 1e4) / 1e4;
const flat = (landmarks) => landmarks.positions.flatMap((p) => [round4(p.x), round4(p.y)]);

async function analyse(img) {
  const input = tf.tensor3d(img.data, [img.height, img.width, 3], 'int32');
  const run = async (options) => {
    const full = await faceapi.detectAllFaces(input, options).withFaceLandmarks();
    const tiny = await faceapi.detectAllFaces(input, options).withFaceLandmarks(true);
    return full.map((f, i) => ({
      box: [f.detection.box.x, f.detection.box.y, f.detection.box.width, f.detection.box.height].map(round4),
      score: round4(f.detection.score),
      landmarks: flat(f.landmarks),
      landmarksTiny: flat(tiny[i].landmarks),
    }));
  };
  const result = {
    ssd: await run(new faceapi.SsdMobilenetv1Options({ minConfidence: 0.5, maxResults: 100 })),
    tiny: await run(new faceapi.TinyFaceDetectorOptions({ inputSize: 416, scoreThreshold: 0.5 })),
  };
  input.dispose();
  return result;
}

async function main() {
  await tf.setBackend('cpu');
  await tf.ready();
  await loadNets();
  fs.mkdirSync(outDir, { recursive: true });

  const astronaut = readPng(path.join(root, 'samples', 'astronaut.png'));
  const pictures = [];
  const add = (file, img, note) => pictures.push({ file, img, note });

  add('samples/astronaut.png', astronaut, 'the sample portrait, unchanged');

  const scaled = resize(astronaut, 320, 320);
  writePng(scaled, path.join(outDir, 'scaled-320.png'));
  add('src/test/resources/face/scaled-320.png', scaled, 'astronaut scaled to 320x320');

  // Two faces at different sizes side by side on a grey canvas: the larger must be picked.
  const two = rgbImage(832, 512, new Uint8Array(832 * 512 * 3).fill(128));
  paste(two, astronaut, 0, 0);
  paste(two, resize(astronaut, 320, 320), 512, 96);
  writePng(two, path.join(outDir, 'two-faces.png'));
  add('src/test/resources/face/two-faces.png', two, 'astronaut at 512 px (left) and at 320 px (right)');

  // A portrait crop stored sideways with EXIF orientation 6; the fixture is for the upright picture.
  const upright = crop(astronaut, 56, 0, 400, 512);
  writeJpegWithOrientation(rotateCcw(upright), 6, path.join(outDir, 'rotated-exif6.jpg'));
  const decodedUpright = rotateCw(readJpeg(path.join(outDir, 'rotated-exif6.jpg')));
  add('src/test/resources/face/rotated-exif6.jpg', decodedUpright, '400x512 crop stored turned left, EXIF orientation 6');

  const grey = gray(astronaut);
  writePng(grey, path.join(outDir, 'gray.png'), { colorType: 0 });
  add('src/test/resources/face/gray.png', grey, 'single-channel greyscale PNG');

  // RGBA: the colour channels are the portrait, alpha fades towards the left edge (alpha is ignored, as cv2.imread does).
  writePng(astronaut, path.join(outDir, 'alpha.png'), { colorType: 6, alphaAt: (x) => Math.min(255, 64 + x) });
  add('src/test/resources/face/alpha.png', astronaut, 'RGBA PNG, alpha ignored');

  const gradient = rgbImage(320, 240);
  for (let y = 0; y < 240; y++) {
    for (let x = 0; x < 320; x++) {
      const i = (y * 320 + x) * 3;
      gradient.data[i] = Math.round((x * 255) / 319); gradient.data[i + 1] = Math.round((y * 255) / 239); gradient.data[i + 2] = 96;
    }
  }
  writePng(gradient, path.join(outDir, 'no-face.png'));
  add('src/test/resources/face/no-face.png', gradient, 'colour gradient, no face');

  const fixtures = {
    generator: 'tools/face-fixtures/make-fixtures.cjs',
    faceApi: `@vladmandic/face-api ${faceapi.version}`,
    tfjs: `${tf.version_core} (${tf.getBackend()} backend)`,
    options: { ssd: { minConfidence: 0.5, maxResults: 100 }, tiny: { inputSize: 416, scoreThreshold: 0.5 } },
    images: [],
  };
  for (const p of pictures) {
    const r = await analyse(p.img);
    console.log(`${p.file}: ssd ${r.ssd.length} face(s) ${r.ssd.map((f) => JSON.stringify(f.box)).join(' ')}; tiny ${r.tiny.length} face(s)`);
    fixtures.images.push({ file: p.file, note: p.note, width: p.img.width, height: p.img.height, ...r });
  }
  fs.writeFileSync(path.join(outDir, 'face-api-fixtures.json'), `${JSON.stringify(fixtures, null, 1)}\n`);
}

main().catch((e) => { console.error(e); process.exit(1); });
