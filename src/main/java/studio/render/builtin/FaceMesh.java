package studio.render.builtin;

import java.util.ArrayList;
import java.util.List;
import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.opencv.opencv_core.Point2f;
import org.bytedeco.opencv.opencv_core.Rect;
import org.bytedeco.opencv.opencv_imgproc.Subdiv2D;
import org.bytedeco.opencv.opencv_imgproc.Vec6fVector;

/**
 * Triangles over a rig's control points: OpenCV's Delaunay triangulation ({@code Subdiv2D}) of
 * the rig's open-mouth shape, kept for the whole clip so every frame warps the same mesh.
 */
public final class FaceMesh {
    private final int[] triangles;

    public FaceMesh(FaceRig rig) {
        double[] open = rig.openPoints();
        int n = rig.count();
        List<int[]> tris = new ArrayList<>();
        float[] xs = new float[n], ys = new float[n];
        for (int i = 0; i < n; i++) {
            xs[i] = (float) Math.max(-1, Math.min(rig.width() + 1, open[2 * i]));
            ys[i] = (float) Math.max(-1, Math.min(rig.height() + 1, open[2 * i + 1]));
        }
        try (Subdiv2D subdiv = new Subdiv2D(new Rect(-2, -2, rig.width() + 4, rig.height() + 4))) {
            for (int i = 0; i < n; i++) {
                try (Point2f p = new Point2f(xs[i], ys[i])) {
                    subdiv.insert(p);
                }
            }
            try (Vec6fVector list = new Vec6fVector()) {
                subdiv.getTriangleList(list);
                for (long r = 0; r < list.size(); r++) {
                    FloatPointer t6 = list.get(r);
                    int[] t = new int[3];
                    boolean ok = true;
                    for (int c = 0; c < 3 && ok; c++) {
                        t[c] = nearest(xs, ys, t6.get(2 * c), t6.get(2 * c + 1));
                        ok = t[c] >= 0;
                    }
                    if (ok && t[0] != t[1] && t[1] != t[2] && t[0] != t[2]) tris.add(t);
                }
            }
        }
        triangles = new int[3 * tris.size()];
        for (int k = 0; k < tris.size(); k++) {
            int[] t = tris.get(k);
            System.arraycopy(t, 0, triangles, 3 * k, 3);
        }
    }

    /** The control point at (x, y) (Subdiv2D returns the inserted coordinates), or -1 for its virtual outer corners. */
    private static int nearest(float[] xs, float[] ys, float x, float y) {
        int best = -1;
        double bestD = 0.75;
        for (int i = 0; i < xs.length; i++) {
            double d = Math.abs(xs[i] - x) + Math.abs(ys[i] - y);
            if (d < bestD) {
                bestD = d;
                best = i;
            }
        }
        return best;
    }

    public int size() {
        return triangles.length / 3;
    }

    /** Corner indices (into the rig's points) of triangle {@code k}. */
    public int corner(int k, int c) {
        return triangles[3 * k + c];
    }
}
