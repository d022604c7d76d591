// Reference harness for FaceCluster's "dlib" model pack.
//
// Runs face-api itself (dlib's face descriptor network under TensorFlow.js with the WASM backend) on the
// sample photos, the way face-api's own Node demo does: SSD MobileNet v1 detection, 68-point landmarks,
// face descriptors. For every face it records the exact 150x150x3 float32 tensor the descriptor network
// received (captured inside FaceRecognitionNet.forwardInput) and the 128-d descriptor it produced, so the
// converted ONNX model can be proven equal chip by chip.
//
// Usage: node record-reference.js --out <dir> [--images <dir>] [--models <dir>] [--repeat <n>]
//   --images  folder of sample*.jpg (default: the samples face-api ships in its demo folder)
//   --models  folder of face-api's weights (default: face-api's own model folder)
//   --repeat  run the whole set n times and report the mean photos/second (for the speed comparison)
//
// Output in --out: reference.json (versions, photos, faces, boxes, landmarks, descriptors) and one
// <photo>-face<k>.chip.f32 per face: 150*150*3 little-endian float32 in row-major HWC order, RGB, 0..255.

'use strict';

const fs = require('fs');
const path = require('path');
const tf = require('@tensorflow/tfjs');
const wasm = require('@tensorflow/tfjs-backend-wasm');
const jpeg = require('jpeg-js');
const faceapi = require('@vladmandic/face-api/dist/face-api.node-wasm.js');

const chipSize = 150;
const faceApiPackageDir = path.dirname(require.resolve('@vladmandic/face-api/package.json'));
const wasmDistDir = path.dirname(require.resolve('@tensorflow/tfjs-backend-wasm/package.json')) + '/dist/';

function parseArguments(argv) {
  const options = {
    images: path.join(faceApiPackageDir, 'demo'),
    models: path.join(faceApiPackageDir, 'model'),
    out: null,
    repeat: 1,
  };
  for (let i = 0; i < argv.length; i += 1) {
    const name = argv[i];
    const value = argv[i + 1];
    if (!name.startsWith('--') || value === undefined) throw new Error(`Unexpected argument '${name}'.`);
    const key = name.slice(2);
    if (!(key in options)) throw new Error(`Unknown option '${name}'.`);
    options[key] = key === 'repeat' ? Number.parseInt(value, 10) : path.resolve(value);
    i += 1;
  }
  if (!options.out) throw new Error('Usage: node record-reference.js --out <dir> [--images <dir>] [--models <dir>] [--repeat <n>]');
  return options;
}

function decodeJpegToTensor(file) {
  const decoded = jpeg.decode(fs.readFileSync(file), { useTArray: true, formatAsRGBA: false });
  const pixelCount = decoded.width * decoded.height;
  const channels = decoded.data.length / pixelCount;
  const rgb = new Int32Array(pixelCount * 3);
  for (let p = 0; p < pixelCount; p += 1) {
    rgb[p * 3] = decoded.data[p * channels];
    rgb[p * 3 + 1] = decoded.data[p * channels + 1];
    rgb[p * 3 + 2] = decoded.data[p * channels + 2];
  }
  return { width: decoded.width, height: decoded.height, tensor: tf.tensor3d(rgb, [decoded.height, decoded.width, 3], 'int32') };
}

// Wraps the descriptor network so each call records (input chip, output descriptor) pairs.
function captureDescriptorNetworkInputs() {
  const net = faceapi.nets.faceRecognitionNet;
  const originalForwardInput = net.forwardInput.bind(net);
  const captured = [];
  net.forwardInput = (netInput) => {
    const batch = netInput.toBatchTensor(chipSize, true);
    const chips = batch.dataSync();
    batch.dispose();
    const output = originalForwardInput(netInput);
    const descriptors = output.dataSync();
    const chipLength = chipSize * chipSize * 3;
    for (let b = 0; b < output.shape[0]; b += 1) {
      captured.push({
        chip: Float32Array.from(chips.subarray(b * chipLength, (b + 1) * chipLength)),
        descriptor: Float32Array.from(descriptors.subarray(b * 128, (b + 1) * 128)),
      });
    }
    return output;
  };
  return captured;
}

function sameDescriptor(a, b) {
  return a.length === b.length && a.every((value, i) => value === b[i]);
}

async function describePhoto(file, detectorOptions) {
  const image = decodeJpegToTensor(file);
  const results = await faceapi.detectAllFaces(image.tensor, detectorOptions).withFaceLandmarks().withFaceDescriptors();
  image.tensor.dispose();
  return { width: image.width, height: image.height, results };
}

async function main() {
  const options = parseArguments(process.argv.slice(2));
  wasm.setWasmPaths(wasmDistDir);
  await tf.setBackend('wasm');
  await tf.ready();
  await faceapi.nets.ssdMobilenetv1.loadFromDisk(options.models);
  await faceapi.nets.faceLandmark68Net.loadFromDisk(options.models);
  await faceapi.nets.faceRecognitionNet.loadFromDisk(options.models);
  const detectorOptions = new faceapi.SsdMobilenetv1Options({ minConfidence: 0.5, maxResults: 100 });

  const photoFiles = fs.readdirSync(options.images).filter((name) => /^sample\d+\.jpg$/i.test(name)).sort();
  if (photoFiles.length === 0) throw new Error(`No sample*.jpg in ${options.images}.`);
  fs.mkdirSync(options.out, { recursive: true });

  const captured = captureDescriptorNetworkInputs();
  const photos = [];
  for (const photoFile of photoFiles) {
    captured.length = 0;
    const { width, height, results } = await describePhoto(path.join(options.images, photoFile), detectorOptions);
    const stem = path.parse(photoFile).name;
    const faces = results.map((result, k) => {
      const pair = captured.find((c) => sameDescriptor(c.descriptor, result.descriptor));
      if (!pair) throw new Error(`${photoFile}: descriptor ${k} was not produced by a captured descriptor network call.`);
      const chipFile = `${stem}-face${k}.chip.f32`;
      fs.writeFileSync(path.join(options.out, chipFile), Buffer.from(pair.chip.buffer));
      const box = result.detection.box;
      return {
        score: result.detection.score,
        box: { x: box.x, y: box.y, width: box.width, height: box.height },
        landmarks: result.landmarks.positions.map((p) => [p.x, p.y]),
        chipFile,
        descriptor: Array.from(result.descriptor),
      };
    });
    photos.push({ file: photoFile, width, height, faces });
    console.log(`${photoFile}: ${faces.length} faces`);
  }

  // Speed peer: the whole pipeline (decode, detect, landmarks, descriptors) timed over the set.
  const started = process.hrtime.bigint();
  for (let r = 0; r < options.repeat; r += 1) {
    for (const photoFile of photoFiles) await describePhoto(path.join(options.images, photoFile), detectorOptions);
  }
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  const photosPerSecond = (options.repeat * photoFiles.length) / seconds;

  const reference = {
    generator: 'tests/reference-harness/record-reference.js',
    faceApiVersion: faceapi.version,
    tfjsVersion: tf.version_core,
    backend: tf.getBackend(),
    chipSize,
    chipLayout: 'HWC float32 little-endian, RGB, 0..255, exactly the tensor FaceRecognitionNet.forwardInput received',
    detector: 'ssdMobilenetv1 minConfidence 0.5',
    photosPerSecond,
    photos,
  };
  fs.writeFileSync(path.join(options.out, 'reference.json'), `${JSON.stringify(reference, null, 1)}\n`);
  console.log(`face-api ${faceapi.version}, tfjs ${tf.version_core} (${tf.getBackend()}): ${photos.reduce((n, p) => n + p.faces.length, 0)} faces in ${photos.length} photos; ${photosPerSecond.toFixed(2)} photos/s; wrote ${options.out}`);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
