package studio.render.builtin;

import static org.bytedeco.opencv.global.opencv_core.BORDER_REPLICATE;
import static org.bytedeco.opencv.global.opencv_core.CV_32FC1;
import static org.bytedeco.opencv.global.opencv_core.CV_8UC3;
import static org.bytedeco.opencv.global.opencv_imgproc.INTER_LINEAR;
import static org.bytedeco.opencv.global.opencv_imgproc.remap;

import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;
import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Scalar;

/**
 * Warps one picture by a triangle mesh, frame after frame: piecewise affine, done as one OpenCV
 * {@code remap} (bilinear) with a map rasterised per frame, so neighbouring triangles share
 * their edges exactly (no seams) and every pixel has a source (no holes). Then the open mouth and
 * the closing lids are painted over it ({@link MouthPainter}, {@link EyelidPainter}).
 *
 * <p>The rasteriser is written by hand: OpenCV has no piecewise-affine map, and drawing every
 * triangle with its own {@code warpAffine} would blend seams at shared edges.
 */
public final class MeshWarper implements AutoCloseable {
    private final FaceMesh mesh;
    private final int width, height;
    private final double iod;
    private final float[] identityX, identityY, mapX, mapY;
    private final Mat source, mapXMat, mapYMat, target;
    private final FloatPointer mapXData, mapYData;
    private final MouthPainter mouth;
    private final EyelidPainter lids;

    public MeshWarper(BufferedImage picture, FaceRig rig, FaceMesh mesh) {
        if (picture.getType() != BufferedImage.TYPE_3BYTE_BGR)
            throw new IllegalArgumentException("needs TYPE_3BYTE_BGR");
        this.mesh = mesh;
        this.width = picture.getWidth();
        this.height = picture.getHeight();
        this.iod = rig.iod();
        byte[] bytes = ((DataBufferByte) picture.getRaster().getDataBuffer()).getData();
        source = new Mat(height, width, CV_8UC3);
        source.data().put(bytes, 0, width * height * 3);
        target = new Mat(height, width, CV_8UC3);
        mapXMat = new Mat(height, width, CV_32FC1);
        mapYMat = new Mat(height, width, CV_32FC1);
        mapXData = new FloatPointer(mapXMat.data());
        mapYData = new FloatPointer(mapYMat.data());
        identityX = new float[width * height];
        identityY = new float[width * height];
        for (int y = 0, i = 0; y < height; y++) {
            for (int x = 0; x < width; x++, i++) {
                identityX[i] = x;
                identityY[i] = y;
            }
        }
        mapX = new float[width * height];
        mapY = new float[width * height];
        double[] src = rig.sourcePoints();
        PhotoLook look = new PhotoLook(bytes, width, height, src, iod);
        mouth = new MouthPainter(bytes.clone(), width, height, src, iod, look);
        lids = new EyelidPainter(width, height, iod, look);
    }

    /**
     * Renders one frame.
     *
     * @param from  the control points in the picture (the rig's source points)
     * @param to    the control points in this frame
     * @param blink eyelid closure 0..1
     */
    public BufferedImage render(double[] from, double[] to, double blink) {
        System.arraycopy(identityX, 0, mapX, 0, mapX.length);
        System.arraycopy(identityY, 0, mapY, 0, mapY.length);
        for (int k = 0; k < mesh.size(); k++) rasterise(k, from, to);
        mapXData.put(mapX, 0, mapX.length);
        mapYData.put(mapY, 0, mapY.length);
        remap(source, target, mapXMat, mapYMat, INTER_LINEAR, BORDER_REPLICATE, new Scalar());
        BufferedImage frame = new BufferedImage(width, height, BufferedImage.TYPE_3BYTE_BGR);
        byte[] out = ((DataBufferByte) frame.getRaster().getDataBuffer()).getData();
        target.data().get(out, 0, out.length);
        mouth.paint(out, to);
        lids.paint(out, to, blink);
        return frame;
    }

    /** Writes the source position of every pixel of target triangle {@code k} into the map. */
    private void rasterise(int k, double[] from, double[] to) {
        int a = mesh.corner(k, 0), b = mesh.corner(k, 1), c = mesh.corner(k, 2);
        double x0 = to[2 * a],
                y0 = to[2 * a + 1],
                x1 = to[2 * b],
                y1 = to[2 * b + 1],
                x2 = to[2 * c],
                y2 = to[2 * c + 1];
        double det = (x1 - x0) * (y2 - y0) - (x2 - x0) * (y1 - y0);
        if (Math.abs(det) < 1e-9) return; // a closed eye or mouth: no pixels
        int minX = clampInt((int) Math.floor(Math.min(x0, Math.min(x1, x2))), 0, width - 1);
        int maxX = clampInt((int) Math.ceil(Math.max(x0, Math.max(x1, x2))), 0, width - 1);
        int minY = clampInt((int) Math.floor(Math.min(y0, Math.min(y1, y2))), 0, height - 1);
        int maxY = clampInt((int) Math.ceil(Math.max(y0, Math.max(y1, y2))), 0, height - 1);
        double sx0 = from[2 * a],
                sy0 = from[2 * a + 1],
                sx1 = from[2 * b],
                sy1 = from[2 * b + 1],
                sx2 = from[2 * c],
                sy2 = from[2 * c + 1];
        double eps = -1e-6;
        for (int y = minY; y <= maxY; y++) {
            double dy = y - y0;
            for (int x = minX; x <= maxX; x++) {
                double dx = x - x0;
                double l1 = (dx * (y2 - y0) - (x2 - x0) * dy) / det;
                double l2 = ((x1 - x0) * dy - dx * (y1 - y0)) / det;
                double l0 = 1 - l1 - l2;
                if (l0 < eps || l1 < eps || l2 < eps) continue;
                int i = y * width + x;
                mapX[i] = (float) (l0 * sx0 + l1 * sx1 + l2 * sx2);
                mapY[i] = (float) (l0 * sy0 + l1 * sy1 + l2 * sy2);
            }
        }
    }

    private static int clampInt(int x, int lo, int hi) {
        return Math.max(lo, Math.min(hi, x));
    }

    @Override
    public void close() {
        source.close();
        target.close();
        mapXMat.close();
        mapYMat.close();
    }
}
