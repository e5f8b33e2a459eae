package studio.enhance;

import static org.bytedeco.opencv.global.opencv_core.CV_32F;
import static org.bytedeco.opencv.global.opencv_core.CV_8U;
import static org.bytedeco.opencv.global.opencv_core.CV_8UC3;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.opencv.global.opencv_core;
import org.bytedeco.opencv.global.opencv_imgproc;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Scalar;
import org.bytedeco.opencv.opencv_core.Size;
import studio.face.Face;
import studio.pipeline.InputException;
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
 * <p>Not thread-safe: one caller feeds frames in order.
 */
public final class FaceRestorer implements AutoCloseable {
    /** The official checkpoint's file name (TencentARC/GFPGAN release v1.3.4). */
    public static final String CHECKPOINT = "GFPGANv1.4.pth";
    private static final int FACE = Gfpgan.SIZE;
    /** facexlib's grey for the crop outside the frame (BGR 135, 133, 132). */
    private static final Scalar BORDER_BGR = new Scalar(135, 133, 132, 0);

    private final NDManager base;
    private final FaceNetwork network;
    private final double strength;
    private final FaceAlignment alignment;
    private PasteMask mask;

    /**
     * Opens {@value #CHECKPOINT} from the checkpoints folder (or its {@code gfpgan/weights}
     * sub-folder, where SadTalker's download script puts it).
     *
     * @param strength  0 = unrestored, 1 = fully restored face ({@code --enhancer-strength})
     * @param firstFrame the face of the first frame, with its 68 landmarks, in frame pixels
     */
    public static FaceRestorer open(Path checkpointsDir, double strength, Face firstFrame) {
        Path file = locate(checkpointsDir);
        FaceAlignment alignment = FaceAlignment.of(firstFrame, FACE);
        Gfpgan.useAllCores();
        NDManager base = NDManager.newBaseManager();
        try {
            return new FaceRestorer(base, Gfpgan.load(file, base), strength, alignment);
        } catch (RuntimeException e) {
            base.close();
            throw e;
        }
    }

    /** Where {@value #CHECKPOINT} is, or a message saying where it was looked for. */
    public static Path locate(Path checkpointsDir) {
        for (Path p : new Path[] {checkpointsDir.resolve(CHECKPOINT), checkpointsDir.resolve("gfpgan/weights").resolve(CHECKPOINT)})
            if (Files.isRegularFile(p)) return p;
        throw new CheckpointException(checkpointsDir.resolve(CHECKPOINT).toString(), "not found (also looked in "
                + checkpointsDir.resolve("gfpgan/weights") + "); download it from "
                + "https://github.com/TencentARC/GFPGAN/releases/download/v1.3.4/GFPGANv1.4.pth or turn the enhancer off");
    }

    /** A restorer around any face network (GFPGAN, or a stand-in in tests); the restorer closes it. */
    public static FaceRestorer withNetwork(FaceNetwork network, double strength, Face firstFrame) {
        return new FaceRestorer(NDManager.newBaseManager(), network, strength, FaceAlignment.of(firstFrame, FACE));
    }

    private FaceRestorer(NDManager base, FaceNetwork network, double strength, FaceAlignment alignment) {
        if (!(strength >= 0 && strength <= 1)) throw new InputException("enhancer strength must be 0..1, got " + strength);
        this.base = base;
        this.network = network;
        this.strength = strength;
        this.alignment = alignment;
    }

    public FaceAlignment alignment() {
        return alignment;
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
            if (f.getWidth() != w || f.getHeight() != h) throw new IllegalArgumentException("frames of one batch must have one size");
            pixels.add(bgr(f));
        }
        if (strength == 0) return toImages(pixels, w, h);
        PasteMask pm = maskFor(w, h);
        int plane = FACE * FACE;
        float[] faces = new float[b * 3 * plane];
        try (Mat toFace = FaceAlignment.matrix(alignment.toFace())) {
            for (int i = 0; i < b; i++) {
                byte[] crop = new byte[3 * plane];
                try (Mat src = bgrMat(pixels.get(i), w, h); Mat dst = new Mat()) {
                    opencv_imgproc.warpAffine(src, dst, toFace, new Size(FACE, FACE), opencv_imgproc.INTER_LINEAR,
                            opencv_core.BORDER_CONSTANT, BORDER_BGR);
                    dst.data().get(crop);
                }
                // BGR bytes → RGB planes in [-1, 1], as GFPGANer normalises (x/255 - 0.5) / 0.5
                int o = i * 3 * plane;
                for (int p = 0; p < plane; p++)
                    for (int c = 0; c < 3; c++) faces[o + c * plane + p] = (crop[3 * p + 2 - c] & 0xff) / 127.5f - 1f;
            }
        }
        float[] restored;
        try (NDManager batch = base.newSubManager()) {
            NDArray x = batch.create(faces, new Shape(b, 3, FACE, FACE));
            restored = network.restore(x).clip(-1f, 1f).toFloatArray();
        }
        try (Mat toFrame = FaceAlignment.matrix(alignment.toFrame())) {
            for (int i = 0; i < b; i++) {
                byte[] face = new byte[3 * plane];
                int o = i * 3 * plane;
                for (int p = 0; p < plane; p++) // RGB planes → BGR bytes, rounded like basicsr's tensor2img
                    for (int c = 0; c < 3; c++) face[3 * p + 2 - c] = (byte) Math.round((restored[o + c * plane + p] + 1f) * 127.5f);
                byte[] back = new byte[3 * w * h];
                try (Mat src = bgrMat(face, FACE, FACE); Mat dst = new Mat()) {
                    opencv_imgproc.warpAffine(src, dst, toFrame, new Size(w, h));
                    dst.data().get(back);
                }
                pm.blend(pixels.get(i), back);
            }
        }
        return toImages(pixels, w, h);
    }

    private PasteMask maskFor(int w, int h) {
        if (mask == null || mask.width != w || mask.height != h) mask = new PasteMask(alignment, w, h, strength);
        return mask;
    }

    @Override
    public void close() {
        try {
            network.close();
        } finally {
            base.close();
        }
    }

    /**
     * facexlib's square paste-back mask (used when face parsing is off): the 512 square warped into
     * the frame, eroded by 2 px against the warp's grey rim, then eroded by a further 2·e and blurred
     * with a (2·e+1)² Gaussian, e = √(area)/20, so the face fades out over about e pixels.
     */
    static final class PasteMask {
        final int width, height;
        final float[] hard; // eroded coverage of the restored face
        final float[] soft; // feathered blend weight × strength

        PasteMask(FaceAlignment a, int w, int h, double strength) {
            this.width = w;
            this.height = h;
            hard = new float[w * h];
            soft = new float[w * h];
            try (Mat ones = new Mat(FACE, FACE, CV_32F, new Scalar(1)); Mat inv = new Mat(); Mat eroded = new Mat();
                    Mat centre = new Mat(); Mat blurred = new Mat(); Mat toFrame = FaceAlignment.matrix(a.toFrame());
                    Mat k2 = new Mat(2, 2, CV_8U, new Scalar(1))) {
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
            for (int i = 0; i < soft.length; i++) soft[i] *= (float) strength;
        }

        /** frame ← soft·(hard·face) + (1 − soft)·frame, per BGR byte, rounded. */
        void blend(byte[] frame, byte[] face) {
            for (int p = 0; p < soft.length; p++) {
                float s = soft[p];
                if (s == 0f) continue;
                float hm = hard[p];
                for (int c = 3 * p; c < 3 * p + 3; c++) {
                    float v = s * hm * (face[c] & 0xff) + (1 - s) * (frame[c] & 0xff);
                    frame[c] = (byte) Math.min(255, Math.round(v));
                }
            }
        }
    }

    /** The frame's pixels as BGR bytes, row-major (a copy). */
    static byte[] bgr(BufferedImage img) {
        if (img.getType() == BufferedImage.TYPE_3BYTE_BGR && img.getRaster().getParent() == null
                && img.getRaster().getDataBuffer().getSize() == 3 * img.getWidth() * img.getHeight())
            return ((DataBufferByte) img.getRaster().getDataBuffer()).getData().clone();
        BufferedImage c = new BufferedImage(img.getWidth(), img.getHeight(), BufferedImage.TYPE_3BYTE_BGR);
        var g = c.createGraphics();
        g.drawImage(img, 0, 0, null);
        g.dispose();
        return ((DataBufferByte) c.getRaster().getDataBuffer()).getData();
    }

    private static Mat bgrMat(byte[] bgr, int w, int h) {
        Mat m = new Mat(h, w, CV_8UC3);
        m.data().put(bgr);
        return m;
    }

    private static List<BufferedImage> toImages(List<byte[]> pixels, int w, int h) {
        List<BufferedImage> out = new ArrayList<>(pixels.size());
        for (byte[] p : pixels) {
            BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_3BYTE_BGR);
            System.arraycopy(p, 0, ((DataBufferByte) img.getRaster().getDataBuffer()).getData(), 0, p.length);
            out.add(img);
        }
        return out;
    }
}
