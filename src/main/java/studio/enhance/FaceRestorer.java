package studio.enhance;

import static org.bytedeco.opencv.global.opencv_core.CV_32F;
import static org.bytedeco.opencv.global.opencv_core.CV_8U;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.opencv.global.opencv_core;
import org.bytedeco.opencv.global.opencv_imgproc;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Scalar;
import org.bytedeco.opencv.opencv_core.Size;
import studio.face.Face;
import studio.image.Images;
import studio.job.InputException;
import studio.nn.Autocast;
import studio.nn.Compute;
import studio.nn.ImageTensors;
import studio.nn.ImageTensors.Range;
import studio.nn.ImageTensors.Rounding;
import studio.nn.TorchEngine;
import studio.weights.Checkpoint;
import studio.weights.CheckpointException;

/**
 * The GFPGAN face restoration stage, one per video: aligns the face to the 512×512 template,
 * restores it, and pastes it back through the inverse transform with a feathered mask, blending
 * restored and unrestored face by the enhancer strength.
 *
 * <p>Detect once, track by re-use: the alignment comes from the first frame's landmarks and is kept
 * for every frame. In a talking-head render the face stays where the portrait put it (crop and
 * resize modes render the aligned crop itself; full modes paste it back at a fixed box), and head
 * motion is a few pixels, well inside the 512 crop's margin; a fixed transform also keeps the
 * paste-back mask still, so the restored region cannot jitter from frame to frame as per-frame
 * re-detection does in the reference.
 *
 * <p>Upscale 2 is SadTalker's enhancer (GFPGANer with {@code upscale=2} and no background
 * upsampler): the frame is resized ×2 (bilinear, as facexlib does without a background upsampler)
 * and the restored 512 face pasted at the doubled size, so its detail is kept instead of being
 * shrunk back into the original frame.
 *
 * <p>Not thread-safe: one caller feeds frames in order.
 */
public final class FaceRestorer implements AutoCloseable {
    private static final int FACE = Gfpgan.SIZE;
    /** facexlib's grey for the crop outside the frame (BGR 135, 133, 132). */
    private static final Scalar BORDER_BGR = new Scalar(135, 133, 132, 0);

    private final NDManager base;
    private Compute.Precision precision = Compute.Precision.FP32;
    private final FaceNetwork network;
    private final double strength;
    private final FaceAlignment alignment;
    private final int upscale;
    private final double[] toOutput; // aligned face → output frame (alignment.toFrame scaled by upscale)
    private final ParseNet parser; // null: facexlib's square feathered mask
    private final boolean parseEveryFrame;
    private PasteMask mask;
    private float[] parsedFaceMask; // the face-space parsing mask, when parsed once

    /**
     * Opens the GFPGAN checkpoint ({@link Checkpoint#GFPGAN}) from the checkpoints folder (or its {@code gfpgan/weights}
     * sub-folder, where SadTalker's download script puts it).
     *
     * @param strength  0 = unrestored, 1 = fully restored face ({@code --enhancer-strength})
     * @param upscale   1 = frames keep their size, 2 = twice the size, as SadTalker's enhancer
     * @param firstFrame the face of the first frame, with its 68 landmarks, in frame pixels
     */
    public static FaceRestorer open(Path checkpointsDir, double strength, int upscale, Face firstFrame) {
        return open(checkpointsDir, strength, upscale, firstFrame, false);
    }

    /**
     * @param parseEveryFrame with the face parser ({@link Checkpoint#PARSENET}) present: parse every restored face
     *                        for its mask as the reference does (doubles the cost), instead of
     *                        parsing the first frame's face and keeping that mask
     */
    public static FaceRestorer open(
            Path checkpointsDir, double strength, int upscale, Face firstFrame, boolean parseEveryFrame) {
        return open(checkpointsDir, strength, upscale, firstFrame, parseEveryFrame, Compute.cpu());
    }

    /** As {@link #open(Path, double, int, Face, boolean)} on a device and precision. */
    public static FaceRestorer open(
            Path checkpointsDir,
            double strength,
            int upscale,
            Face firstFrame,
            boolean parseEveryFrame,
            Compute compute) {
        Path file = locate(checkpointsDir);
        Path parsing = locateOptional(checkpointsDir, Checkpoint.PARSENET.file());
        FaceAlignment alignment = FaceAlignment.of(firstFrame, FACE);
        TorchEngine.useAllCores(); // the convolutions dominate and scale with cores
        NDManager base = compute.newManager();
        Gfpgan net = null;
        try {
            net = Gfpgan.load(file, base);
            ParseNet parser = parsing == null ? null : ParseNet.load(parsing, base);
            FaceRestorer r = new FaceRestorer(base, net, parser, parseEveryFrame, strength, upscale, alignment);
            r.precision = compute.precision();
            return r;
        } catch (RuntimeException e) {
            if (net != null) net.close();
            base.close();
            throw e;
        }
    }

    private static Path locateOptional(Path checkpointsDir, String name) {
        for (Path p : new Path[] {
            checkpointsDir.resolve(name),
            checkpointsDir.resolve("gfpgan/weights").resolve(name)
        }) if (Files.isRegularFile(p)) return p;
        return null;
    }

    /** Where the GFPGAN checkpoint is, or a message saying where it was looked for. */
    public static Path locate(Path checkpointsDir) {
        Checkpoint c = Checkpoint.GFPGAN;
        Path p = locateOptional(checkpointsDir, c.file());
        if (p != null) return p;
        throw new CheckpointException(
                c.in(checkpointsDir).toString(),
                "not found (also looked in " + checkpointsDir.resolve("gfpgan/weights") + "); " + c.howToGet()
                        + ", or turn the enhancer off");
    }

    /** A restorer around any face network (GFPGAN, or a stand-in in tests); the restorer closes it. */
    public static FaceRestorer withNetwork(FaceNetwork network, double strength, Face firstFrame) {
        return withNetwork(network, strength, 1, firstFrame);
    }

    /** As {@link #withNetwork(FaceNetwork, double, Face)}, writing frames {@code upscale} times larger. */
    public static FaceRestorer withNetwork(FaceNetwork network, double strength, int upscale, Face firstFrame) {
        return new FaceRestorer(
                NDManager.newBaseManager(),
                network,
                null,
                false,
                strength,
                upscale,
                FaceAlignment.of(firstFrame, FACE));
    }

    /**
     * As {@link #withNetwork(FaceNetwork, double, int, Face)} with the network's own manager (on
     * its device) and precision; the restorer closes both.
     */
    public static FaceRestorer withNetwork(
            FaceNetwork network, double strength, int upscale, Face firstFrame, NDManager base, Compute compute) {
        FaceRestorer r =
                new FaceRestorer(base, network, null, false, strength, upscale, FaceAlignment.of(firstFrame, FACE));
        r.precision = compute.precision();
        return r;
    }

    /** As {@link #withNetwork(FaceNetwork, double, Face)}, with a face parser for the paste-back mask (closed with the restorer). */
    public static FaceRestorer withNetwork(
            FaceNetwork network, ParseNet parser, boolean parseEveryFrame, double strength, Face firstFrame) {
        return new FaceRestorer(
                NDManager.newBaseManager(),
                network,
                parser,
                parseEveryFrame,
                strength,
                1,
                FaceAlignment.of(firstFrame, FACE));
    }

    private FaceRestorer(
            NDManager base,
            FaceNetwork network,
            ParseNet parser,
            boolean parseEveryFrame,
            double strength,
            int upscale,
            FaceAlignment alignment) {
        if (!(strength >= 0 && strength <= 1))
            throw new InputException("enhancer strength must be 0..1, got " + strength);
        if (upscale != 1 && upscale != 2) throw new InputException("enhancer upscale must be 1 or 2, got " + upscale);
        this.base = base;
        this.network = network;
        this.parser = parser;
        this.parseEveryFrame = parseEveryFrame;
        this.strength = strength;
        this.alignment = alignment;
        this.upscale = upscale;
        // The inverse affine scaled by the upscale factor, moved onto the resized frame's pixel grid: the
        // bilinear resize puts frame point p at up·p + (up − 1)/2. facexlib adds up/2, half an output pixel
        // more, which shows as a doubled edge around the pasted face (FaceRestorerTest measures both).
        this.toOutput = alignment.toFrame().clone();
        for (int i = 0; i < 6; i++) toOutput[i] *= upscale;
        toOutput[2] += (upscale - 1) / 2.0;
        toOutput[5] += (upscale - 1) / 2.0;
    }

    public FaceAlignment alignment() {
        return alignment;
    }

    /** Aligned face → output frame, 2×3 row-major: where the restored face is pasted. */
    public double[] pasteTransform() {
        return toOutput.clone();
    }

    /** Restores the face of one frame; the frame itself is not changed. */
    public BufferedImage restore(BufferedImage frame) {
        return restore(List.of(frame)).getFirst();
    }

    /** Restores a batch of frames (of one size) with one network call; NDArrays live for the batch only. */
    public List<BufferedImage> restore(List<BufferedImage> frames) {
        int b = frames.size();
        if (b == 0) return List.of();
        List<byte[]> pixels = new ArrayList<>(b);
        int w = frames.getFirst().getWidth(), h = frames.getFirst().getHeight();
        for (BufferedImage f : frames) {
            if (f.getWidth() != w || f.getHeight() != h)
                throw new IllegalArgumentException("frames of one batch must have one size");
            pixels.add(Images.bgrBytes(f));
        }
        int outW = w * upscale, outH = h * upscale;
        List<byte[]> output = upscale == 1 ? pixels : upscaled(pixels, w, h);
        if (strength == 0) return toImages(output, outW, outH);
        int plane = FACE * FACE;
        float[] faces = new float[b * 3 * plane];
        try (Mat toFace = FaceAlignment.matrix(alignment.toFace())) {
            for (int i = 0; i < b; i++) {
                byte[] crop = new byte[3 * plane];
                try (Mat src = Images.toMat(pixels.get(i), w, h);
                        Mat dst = new Mat()) {
                    opencv_imgproc.warpAffine(
                            src,
                            dst,
                            toFace,
                            new Size(FACE, FACE),
                            opencv_imgproc.INTER_LINEAR,
                            opencv_core.BORDER_CONSTANT,
                            BORDER_BGR);
                    dst.data().get(crop);
                }
                ImageTensors.chwFromBgr(
                        crop, Range.SIGNED, faces, i * 3 * plane); // as GFPGANer normalises: (x/255 − 0.5) / 0.5
            }
        }
        List<byte[]> restoredFaces = new ArrayList<>(b);
        try (NDManager batch = base.newSubManager();
                Autocast.Scope cast = Autocast.enter(precision)) {
            NDArray x = batch.create(faces, new Shape(b, 3, FACE, FACE));
            float[] restored = network.restore(x).clip(-1f, 1f).toFloatArray();
            for (int i = 0; i < b; i++) // RGB planes → BGR bytes, rounded like basicsr's tensor2img
            restoredFaces.add(ImageTensors.bgrFromChw(restored, i * 3 * plane, plane, Range.SIGNED, Rounding.ROUND));
        }
        List<PasteMask> masks = masksFor(restoredFaces, outW, outH);
        try (Mat toFrame = FaceAlignment.matrix(toOutput)) {
            for (int i = 0; i < b; i++) {
                byte[] back = new byte[3 * outW * outH];
                try (Mat src = Images.toMat(restoredFaces.get(i), FACE, FACE);
                        Mat dst = new Mat()) {
                    opencv_imgproc.warpAffine(src, dst, toFrame, new Size(outW, outH));
                    dst.data().get(back);
                }
                masks.get(i).blend(output.get(i), back);
            }
        }
        return toImages(output, outW, outH);
    }

    /** The frames resized by the upscale factor (bilinear, facexlib's background without an upsampler). */
    private List<byte[]> upscaled(List<byte[]> frames, int w, int h) {
        List<byte[]> out = new ArrayList<>(frames.size());
        for (byte[] f : frames) {
            byte[] big = new byte[3 * w * upscale * h * upscale];
            try (Mat src = Images.toMat(f, w, h);
                    Mat dst = new Mat()) {
                opencv_imgproc.resize(src, dst, new Size(w * upscale, h * upscale), 0, 0, opencv_imgproc.INTER_LINEAR);
                dst.data().get(big);
            }
            out.add(big);
        }
        return out;
    }

    /** One paste-back mask per frame: the square mask, or the parsing of the restored face (once or per frame). */
    private List<PasteMask> masksFor(List<byte[]> restoredFaces, int w, int h) {
        int b = restoredFaces.size();
        if (parser == null) return Collections.nCopies(b, maskFor(w, h));
        if (parseEveryFrame) {
            List<float[]> parsed = parse(restoredFaces);
            List<PasteMask> out = new ArrayList<>(b);
            for (float[] m : parsed) out.add(PasteMask.parsed(toOutput, w, h, strength, m));
            return out;
        }
        if (parsedFaceMask == null)
            parsedFaceMask = parse(restoredFaces.subList(0, 1)).getFirst();
        if (mask == null || mask.width != w || mask.height != h)
            mask = PasteMask.parsed(toOutput, w, h, strength, parsedFaceMask);
        return Collections.nCopies(b, mask);
    }

    /** facexlib's parsing mask of restored faces (512² each, in face space, 0..1). */
    private List<float[]> parse(List<byte[]> restoredFaces) {
        int plane = FACE * FACE, b = restoredFaces.size();
        float[] in = new float[b * 3 * plane];
        for (int i = 0; i < b; i++) ImageTensors.chwFromBgr(restoredFaces.get(i), Range.SIGNED, in, i * 3 * plane);
        long[] labels;
        try (NDManager batch = base.newSubManager();
                Autocast.Scope cast = Autocast.enter(precision)) {
            labels = parser.parse(batch.create(in, new Shape(b, 3, FACE, FACE)))
                    .argMax(1)
                    .toLongArray();
        }
        List<float[]> out = new ArrayList<>(b);
        for (int i = 0; i < b; i++) out.add(PasteMask.parsingToFaceMask(labels, i * plane));
        return out;
    }

    private PasteMask maskFor(int w, int h) {
        if (mask == null || mask.width != w || mask.height != h)
            mask = PasteMask.square(toOutput, w, h, strength, upscale);
        return mask;
    }

    @Override
    public void close() {
        try {
            network.close();
            if (parser != null) parser.close();
        } finally {
            base.close();
        }
    }

    /** Where and how strongly the restored face replaces the frame, per frame pixel. */
    static final class PasteMask {
        /** facexlib's MASK_COLORMAP: parsing classes that belong to the pasted face (not background 0, neck 14, cloth 16, hair 17, hat 18). */
        private static final boolean[] FACE_CLASS = new boolean[ParseNet.CLASSES];

        static {
            for (int c = 1; c < ParseNet.CLASSES; c++) FACE_CLASS[c] = c != 14 && c < 16;
        }

        final int width, height;
        final float[] hard; // coverage the restored face is multiplied by (null: none)
        final float[] soft; // feathered blend weight × strength

        private PasteMask(int w, int h, float[] hard, float[] soft, double strength) {
            this.width = w;
            this.height = h;
            this.hard = hard;
            this.soft = soft;
            for (int i = 0; i < soft.length; i++) soft[i] *= (float) strength;
        }

        /**
         * facexlib's square mask (used without face parsing): the 512 square warped into the frame,
         * eroded by 2·upscale px against the warp's grey rim, then eroded by a further 2·e and blurred
         * with a (2·e+1)² Gaussian, e = √(area)/20, so the face fades out over about e pixels.
         *
         * @param toOutput aligned face → output frame (2×3)
         */
        static PasteMask square(double[] toOutput, int w, int h, double strength, int upscale) {
            float[] hard = new float[w * h], soft = new float[w * h];
            try (Mat ones = new Mat(FACE, FACE, CV_32F, new Scalar(1));
                    Mat inv = new Mat();
                    Mat eroded = new Mat();
                    Mat centre = new Mat();
                    Mat blurred = new Mat();
                    Mat toFrame = FaceAlignment.matrix(toOutput);
                    Mat k2 = new Mat(2 * upscale, 2 * upscale, CV_8U, new Scalar(1))) {
                opencv_imgproc.warpAffine(ones, inv, toFrame, new Size(w, h));
                opencv_imgproc.erode(inv, eroded, k2);
                new FloatPointer(eroded.data()).get(hard);
                double area = 0;
                for (float v : hard) area += v;
                int edge = Math.max(1, (int) Math.sqrt(area) / 20);
                try (Mat ke = new Mat(2 * edge, 2 * edge, CV_8U, new Scalar(1))) {
                    opencv_imgproc.erode(eroded, centre, ke);
                }
                opencv_imgproc.GaussianBlur(centre, blurred, new Size(2 * edge + 1, 2 * edge + 1), 0);
                new FloatPointer(blurred.data()).get(soft);
            }
            return new PasteMask(w, h, hard, soft, strength);
        }

        /**
         * facexlib's parsing mask in face space: face classes 1, others 0, blurred twice with a
         * 101² Gaussian (σ 11), a 10-pixel border cleared.
         */
        static float[] parsingToFaceMask(long[] labels, int offset) {
            float[] m = new float[FACE * FACE];
            for (int p = 0; p < m.length; p++) m[p] = FACE_CLASS[(int) labels[offset + p]] ? 1f : 0f;
            try (Mat a = new Mat(FACE, FACE, CV_32F);
                    Mat b = new Mat();
                    Mat c = new Mat()) {
                new FloatPointer(a.data()).put(m);
                opencv_imgproc.GaussianBlur(a, b, new Size(101, 101), 11);
                opencv_imgproc.GaussianBlur(b, c, new Size(101, 101), 11);
                new FloatPointer(c.data()).get(m);
            }
            int border = 10;
            for (int y = 0; y < FACE; y++)
                for (int x = 0; x < FACE; x++)
                    if (y < border || y >= FACE - border || x < border || x >= FACE - border) m[y * FACE + x] = 0;
            return m;
        }

        /** A face-space mask (512², 0..1) warped into the frame. */
        static PasteMask parsed(double[] toOutput, int w, int h, double strength, float[] faceMask) {
            float[] soft = new float[w * h];
            try (Mat m = new Mat(FACE, FACE, CV_32F);
                    Mat inv = new Mat();
                    Mat toFrame = FaceAlignment.matrix(toOutput)) {
                new FloatPointer(m.data()).put(faceMask);
                opencv_imgproc.warpAffine(
                        m,
                        inv,
                        toFrame,
                        new Size(w, h),
                        opencv_imgproc.INTER_LINEAR,
                        opencv_core.BORDER_CONSTANT,
                        new Scalar(0));
                new FloatPointer(inv.data()).get(soft);
            }
            return new PasteMask(w, h, null, soft, strength);
        }

        /** frame ← soft·(hard·face) + (1 − soft)·frame, per BGR byte, rounded. */
        void blend(byte[] frame, byte[] face) {
            for (int p = 0; p < soft.length; p++) {
                float s = soft[p];
                if (s == 0f) continue;
                float hm = hard == null ? 1f : hard[p];
                for (int c = 3 * p; c < 3 * p + 3; c++) {
                    float v = s * hm * (face[c] & 0xff) + (1 - s) * (frame[c] & 0xff);
                    frame[c] = (byte) Math.min(255, Math.round(v));
                }
            }
        }
    }

    private static List<BufferedImage> toImages(List<byte[]> pixels, int w, int h) {
        List<BufferedImage> out = new ArrayList<>(pixels.size());
        for (byte[] p : pixels) out.add(Images.fromBgr(p, w, h));
        return out;
    }
}
